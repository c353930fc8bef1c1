/**
 * The last resort, for texts that no family, ownership or runtime rule explained: the vocabulary of
 * the message. Errors about the owner's configuration, code or data are worded as refusals ("not
 * found", "invalid", "permission denied", "must be", "mismatch"); errors of systems failing under a
 * job are worded as unavailability ("timed out", "unavailable", "connection reset", "internal
 * error", "retries exhausted"). That is a lean, never a verdict the healer acts on: its weight stays
 * under score.ts's TIP_FROM, so it yields a low-confidence verdict (< 0.6) at most, and a recent
 * change cannot tip it into a rollback.
 *
 * A response the dependency could not make sense of ("response is not valid JSON") is the
 * dependency's: the response words are read before the refusal words.
 */
import { frameOrigin } from '../frames.js';
import { parseHeader } from '../parse.js';
import { isWrapper } from '../root-cause.js';
import type { RuleHit } from '../types.js';
import { clip, type Evidence } from './evidence.js';

interface Lexicon {
  name: string;
  /** +1 toward user, −1 toward system. */
  side: 1 | -1;
  words: RegExp;
}

const LEXICON: readonly Lexicon[] = [
  {
    name: 'a bad answer from a dependency',
    side: -1,
    words:
      /response (?:is )?not valid|invalid response|unexpected response|bad response|empty response|failed to respond|no response|response code|did not respond|out of sequence response|(?:response|reply) out of (?:order|sequence)/i,
  },
  {
    name: 'unavailability',
    side: -1,
    words:
      /tim(?:ed|e) ?out|timeout|unavailable|not available|no [\w -]{1,40} (?:is |are )?available|unreachable|refused|reset by|broken pipe|disconnect|gone away|connection (?:lost|closed|failed|error)|lost connection|network|超时|连接失败|无法连接|拒绝连接|连接被重置|连接断开|不可用|网络/i,
  },
  {
    name: 'a failure inside a service',
    side: -1,
    words:
      /internal (?:error|server error|failure)|server (?:error|busy)|service error|overload|too many (?:requests|connections)|throttl|rate limit|busy|retries (?:exhausted|exceeded)|retry(?:ing)? (?:failed|exhausted)|retry attempts failed|after \d+ (?:retries|attempts)|内部错误|服务(?:端)?(?:异常|错误|繁忙)|限流/i,
  },
  {
    name: 'a process or node going away',
    side: -1,
    words:
      /restart(?:ed|ing)|shutting down|shut down|killed|crash(?:ed)?|terminated|not running|starting up|not ready|heartbeat/i,
  },
  {
    // Sessions, transactions, leases, cursors and the like live on the server side: when one is
    // "not found" the server forgot or expired it; the owner never named it.
    name: 'a runtime handle the server forgot',
    side: -1,
    words:
      /(?:session|transaction|txn|lease|cursor|iterator|consumer|producer|connection|channel|handle|subscription|scanner|epoch|token|heartbeat)s?(?: id)?\b.{0,40}(?:not found|not exist|does not exist|doesn't exist|no longer exists?|not existed|is unknown|expired|is invalid)/i,
  },
  {
    name: 'something the owner named does not exist',
    side: 1,
    words:
      /not found|does not exist|doesn't exist|not exist|no such|unknown (?:column|table|field|option|identifier|property|key|type|database|catalog|function|topic)|unknown [\w -]{1,30}:|undefined|cannot find|could not find|can't find|不存在|找不到|未找到/i,
  },
  {
    name: 'a refusal of what was given',
    side: 1,
    words:
      /invalid|illegal|malformed|unsupported|not supported|syntax|parse|cannot be cast|mismatch|does not match|incompatible|wrong (?:number|type)|insufficient arguments|(?:not|n't|dont) have (?:sufficient|enough) arguments|not enough arguments|validat(?:e|ion) failed|please (?:modify|check|change|correct|fix) your|expected .{1,40} but|无效|非法|不支持|语法错误|类型不匹配|不匹配|解析失败/i,
  },
  {
    name: 'a permission refused',
    side: 1,
    words:
      /permission|denied|not authorized|unauthori[sz]ed|forbidden|no privilege|not allowed|access to .{1,60} (?:is )?not allowed|权限|无权|拒绝访问/i,
  },
  {
    name: 'a requirement not met',
    side: 1,
    words:
      /missing|is required|required (?:option|property|parameter|field)|must (?:be|not|have)|should (?:be|not)|not set|cannot be (?:null|empty|blank)|already exists|duplicate|you (?:need|have) to (?:configure|set|enable|specify|add|use)|please (?:configure|set|enable|specify|add|use)\b|requires? .{1,80} to be (?:set|configured|enabled)|缺少|必须|不能为空|已存在|请(?:配置|设置)/i,
  },
];

/** Exception types whose name is a refusal of their input. */
const NAMED_REFUSAL = /(?:Validation|Parse|Parser|Syntax|NullField|Conversion|Mapping|Mismatch)Exception$/;

/**
 * Weight of one net lexicon family, and the most the vocabulary may say: below score.ts's TIP_FROM,
 * so a recent deploy can never turn wording alone into a user verdict the healer acts on.
 */
const PER_FAMILY = 0.2;
const MOST = 0.2;

/**
 * The text the vocabulary reads: the root cause's message when it has one (its class name is not
 * wording: "IllegalArgumentException" with no message refuses nothing), else every plain line.
 */
function wordsOf(ev: Evidence): string {
  if (ev.root && ev.root.exception !== '') {
    // A type named for refusing its input is wording too (SqlValidationException, NullFieldException).
    const name = ev.root.exception.split('.').pop() ?? '';
    return NAMED_REFUSAL.test(name)
      ? `${name.replace(/Exception$/, '')} invalid: ${ev.root.message}`
      : ev.root.message;
  }
  return ev.parsed.lines.join('\n');
}

/**
 * Fires only when no other rule matched (a weightless match such as a loop side effect explains the
 * text too): it explains what nothing else did.
 */
export function vocabularyFallback(ev: Evidence, others: readonly RuleHit[]): RuleHit[] {
  if (others.length > 0) return [];
  const text = wordsOf(ev);
  if (text.trim() === '') return [];
  const found = LEXICON.filter((l) => l.words.test(text));
  // A bad answer from a dependency, or a handle the server forgot, explains the refusal words it
  // contains ("not valid JSON", "session not found").
  const used = found.some(
    (l) => l.name === 'a bad answer from a dependency' || l.name === 'a runtime handle the server forgot',
  )
    ? found.filter((l) => l.side === -1)
    : found;
  const net = used.reduce((s, l) => s + l.side, 0);
  if (net === 0) return [];
  const side = Math.sign(net);
  const weight = side * Math.min(MOST, Math.abs(net) * PER_FAMILY);
  const names = used.filter((l) => l.side === side).map((l) => l.name);
  return [
    {
      rule: side > 0 ? 'worded-as-a-refusal' : 'worded-as-unavailability',
      subtype: side > 0 ? 'bad-config' : 'external-system-unavailable',
      weight: Math.round(weight * 100) / 100,
      evidence: `nothing else explains "${clip(text, 100)}"; its words read as ${names.join(' and ')}`,
    },
  ];
}

/**
 * The base rate, when even the wording says nothing: an exception that no rule, owner or word
 * explains leans system, at the faintest weight that still gives a verdict (confidence ≈ 0.54).
 * The owner's mistakes surface as refusals the rules know (validation, packaging, configuration,
 * data); what nobody recognises is more often a fault somewhere in the stack — on the tuning cases,
 * 9 of 10 unrecognised exceptions were system. No prior for text without an exception, for a
 * wrapper that only relays a failure it does not show ("Job execution failed"), or for an
 * exception of an unknown package (it may be the job's own type).
 */
export function unrecognisedException(ev: Evidence, others: readonly RuleHit[]): RuleHit[] {
  const root = ev.root;
  if (others.length > 0 || !root || root.exception === '' || isWrapper(root)) return [];
  // `RuntimeException: …JobInitializationException: Could not start the JobMaster.` only relays too.
  const inner = parseHeader(root.message.split('\n')[0] ?? '');
  if (inner && isWrapper({ ...root, exception: inner.exception, message: inner.message })) return [];
  if (!['jdk', 'flink', 'connector', 'library'].includes(frameOrigin(root.exception))) return [];
  return [
    {
      rule: 'unrecognised-exception',
      subtype: 'unrecognised',
      weight: -0.15,
      evidence: `nothing recognises ${clip(root.exception, 100)}: unrecognised exceptions are more often the stack's than the owner's`,
    },
  ];
}
