import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../helpers/json.js';
import type { Fault } from './fault-servers.js';
import { PLAN, SCENARIO, SECRETS, SNAPSHOT, TRACE } from './fixture.js';

/**
 * The hostile-input table: input → expected exit code → the words the message must contain →
 * the files that must not exist afterwards. Arguments starting with `@` are paths in the case
 * directory (fixture.ts lays out the good files every case starts from). The runner checks, for
 * every case, that no stack trace and no secret appears, that no file the case did not expect
 * was created (no partial file, no temp file left) and that every input is unchanged.
 */
export interface HostileCase {
  name: string;
  args: string[];
  /** Files to write (or overwrite) before the run. */
  files?: Record<string, string | Buffer>;
  /** Anything files cannot express: FIFOs, links, directories. */
  setup?: (dir: string) => void;
  env?: Record<string, string>;
  stdin?: string;
  exit: number;
  words: string[];
  /** Files that must not exist afterwards (beyond the general "nothing new" check). */
  absent?: string[];
  /** Files the command is expected to write (success cases). */
  writes?: string[];
}

const json = (v: unknown) => `${JSON.stringify(v)}\n`;
/** The good snapshot with one change applied (a deep copy). */
const snap = (change: (s: Json) => void) => {
  const s = JSON.parse(JSON.stringify(SNAPSHOT));
  change(s);
  return json(s);
};
const plan = (change: (p: Json) => void) => {
  const p = JSON.parse(JSON.stringify(PLAN));
  change(p);
  return json(p);
};
const mkfifo = (dir: string, name: string) => {
  // Node has no mkfifo; the shell's is in coreutils everywhere CI runs.
  const r = spawnSync('mkfifo', [join(dir, name)]);
  if (r.status !== 0) throw new Error('mkfifo failed');
};

const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '',
].join('\n');

const NOT_UTF8 = Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0x00, 0xc3, 0x28, 0x7d]);
const BIG = (bytes: number) => `${'#'.repeat(bytes)}\n`;

// --- 1. Every file reader refuses what is not a regular, bounded, UTF-8 file ---------------------

/** Each command that reads a file, with the file in `@in` and the exit code of its bad input. */
const READERS: Array<{ cmd: string; argv: (file: string) => string[]; bad: number; what: string }> = [
  {
    cmd: 'config validate',
    argv: (f) => ['config', 'validate', '--config', f],
    bad: 78,
    what: 'configuration file',
  },
  { cmd: 'kafka disk', argv: (f) => ['kafka', 'disk', '--snapshot', f], bad: 65, what: 'snapshot' },
  {
    cmd: 'kafka partitions',
    argv: (f) => ['kafka', 'partitions', '--snapshot', f],
    bad: 65,
    what: 'snapshot',
  },
  {
    cmd: 'kafka partitions --plan',
    argv: (f) => ['kafka', 'partitions', '--snapshot', '@snap.json', '--plan', f],
    bad: 65,
    what: 'reassignment plan',
  },
  {
    cmd: 'kafka rebalance plan',
    argv: (f) => ['kafka', 'rebalance', 'plan', '--snapshot', f, '-o', '@out.json'],
    bad: 65,
    what: 'snapshot',
  },
  { cmd: 'healer simulate', argv: (f) => ['healer', 'simulate', '-s', f], bad: 65, what: 'scenario' },
  { cmd: 'flink classify', argv: (f) => ['flink', 'classify', '--file', f], bad: 65, what: 'input file' },
];

const BAD_FILES: Array<{
  name: string;
  file: string;
  setup?: (dir: string) => void;
  files?: Record<string, string | Buffer>;
  words: string[];
  extra?: string[];
}> = [
  { name: 'a missing file', file: '@missing.json', words: ['missing.json'] },
  { name: '/dev/zero (used to hang)', file: '/dev/zero', words: ['/dev/zero', 'device'] },
  { name: '/dev/urandom', file: '/dev/urandom', words: ['/dev/urandom', 'device'] },
  {
    name: 'a symlink to /dev/zero',
    file: '@zero.json',
    setup: (d) => symlinkSync('/dev/zero', join(d, 'zero.json')),
    words: ['zero.json', 'device'],
  },
  {
    name: 'a FIFO (open(2) would block)',
    file: '@fifo',
    setup: (d) => mkfifo(d, 'fifo'),
    words: ['fifo', 'a FIFO'],
  },
  {
    name: 'a directory',
    file: '@adir',
    setup: (d) => mkdirSync(join(d, 'adir')),
    words: ['adir', 'a directory'],
  },
  {
    name: 'a file above --max-input-size',
    file: '@big.txt',
    files: { 'big.txt': BIG(8192) },
    extra: ['--max-input-size', '4KiB'],
    words: ['big.txt', 'too large', '--max-input-size'],
  },
  {
    name: 'bytes that are not UTF-8',
    file: '@binary.bin',
    files: { 'binary.bin': NOT_UTF8 },
    words: ['binary.bin', 'UTF-8'],
  },
];

const readerCases: HostileCase[] = READERS.flatMap((r) =>
  BAD_FILES.map((b) => ({
    name: `${r.cmd}: ${b.name}`,
    args: [...r.argv(b.file), ...(b.extra ?? [])],
    ...(b.setup ? { setup: b.setup } : {}),
    ...(b.files ? { files: b.files } : {}),
    exit: r.bad,
    words: b.words,
    absent: ['out.json'],
  })),
);

// A BOM (Windows editors) and UTF-16 (PowerShell's `>`) are read, not refused.
const BOM = '\uFEFF';
const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const encodingCases: HostileCase[] = [
  {
    name: 'kafka disk reads a snapshot with a UTF-8 BOM',
    files: { 'bom.json': BOM + json(SNAPSHOT) },
    args: ['kafka', 'disk', '--snapshot', '@bom.json'],
    exit: 0,
    words: ['hostile'],
  },
  {
    name: 'kafka disk reads a UTF-16 snapshot',
    files: { 'u16.json': utf16(json(SNAPSHOT)) },
    args: ['kafka', 'disk', '--snapshot', '@u16.json'],
    exit: 0,
    words: ['hostile'],
  },
  {
    name: 'config validate reads a config with a BOM',
    files: { 'bom.yaml': `${BOM}version: 1\n` },
    args: ['config', 'validate', '--config', '@bom.yaml'],
    exit: 0,
    words: ['bom.yaml'],
  },
  {
    name: 'healer simulate reads a scenario with a BOM',
    files: { 'bom.yaml': BOM + SCENARIO },
    args: ['healer', 'simulate', '-s', '@bom.yaml'],
    exit: 0,
    words: ['hostile-base'],
  },
  {
    name: '--max-input-size raises the cap: the same file is read',
    files: { 'big.json': json(SNAPSHOT) },
    args: ['kafka', 'disk', '--snapshot', '@big.json', '--max-input-size', '1MiB'],
    exit: 0,
    words: ['hostile'],
  },
];

// --- 2. No output ever lands on an input; the files of one result are written as a set ----------

const PLAN_FILES = ['out.json', 'out.report.json', 'out.rollback.json'];
const planCmd = (...more: string[]) => ['kafka', 'rebalance', 'plan', '--snapshot', '@snap.json', ...more];

const outputCases: HostileCase[] = [
  {
    name: 'plan -o the snapshot itself (the input used to be lost)',
    args: planCmd('-o', '@snap.json'),
    exit: 64,
    words: ['snap.json', 'is the input', 'nothing was written'],
    absent: ['snap.report.json', 'snap.rollback.json'],
  },
  {
    name: 'plan -o a symlink to the snapshot',
    setup: (d) => symlinkSync(join(d, 'snap.json'), join(d, 'link.json')),
    args: planCmd('-o', '@link.json'),
    exit: 64,
    words: ['link.json', 'is the input'],
  },
  {
    name: 'plan -o a hard link to the snapshot',
    setup: (d) => linkSync(join(d, 'snap.json'), join(d, 'hard.json')),
    args: planCmd('-o', '@hard.json'),
    exit: 64,
    words: ['hard.json', 'is the input'],
  },
  {
    name: 'plan -o whose sidecar report would overwrite the snapshot',
    files: { 'x.report.json': json(SNAPSHOT) },
    args: ['kafka', 'rebalance', 'plan', '--snapshot', '@x.report.json', '-o', '@x.json'],
    exit: 64,
    words: ['x.report.json', 'is the input'],
    absent: ['x.json', 'x.rollback.json'],
  },
  {
    name: 'plan -o a path with a trailing slash',
    args: planCmd('-o', '@newdir/'),
    exit: 64,
    words: ['trailing slash'],
    absent: ['newdir'],
  },
  {
    name: 'plan -o an existing directory (EISDIR)',
    setup: (d) => mkdirSync(join(d, 'adir')),
    args: planCmd('-o', '@adir'),
    exit: 64,
    words: ['adir', 'a directory'],
    absent: ['adir.report.json', 'adir.rollback.json'],
  },
  { name: 'plan -o /dev/full', args: planCmd('-o', '/dev/full'), exit: 64, words: ['/dev/full', 'device'] },
  {
    name: 'plan -o under a regular file (ENOTDIR)',
    args: planCmd('-o', '@trace.txt/out.json'),
    exit: 73,
    words: ['cannot write', 'nothing was written'],
  },
  ...[1, 2, 3].map((n) => ({
    name: `plan: a full disk at file ${n} of 3 leaves none of them`,
    args: planCmd('-o', '@out.json'),
    env: { STREAMCTL_FAILPOINT_WRITE: `ENOSPC@${n}` },
    exit: 73,
    words: ['ENOSPC', 'nothing was written'],
    absent: PLAN_FILES,
  })),
  {
    name: 'plan: a full disk keeps the previous plan files as they were',
    files: {
      'out.json': 'previous plan\n',
      'out.report.json': 'previous report\n',
      'out.rollback.json': 'previous rollback\n',
    },
    args: planCmd('-o', '@out.json'),
    env: { STREAMCTL_FAILPOINT_WRITE: 'EIO@3' },
    exit: 73,
    words: ['EIO'],
  },
  {
    name: 'plan writes its three files (the good path)',
    args: planCmd('-o', '@out.json'),
    exit: 0,
    words: ['out.json'],
    writes: PLAN_FILES,
  },
  {
    name: 'config init on a full disk does not say "Wrote"',
    args: ['config', 'init', '-o', '@new.yaml'],
    env: { STREAMCTL_FAILPOINT_WRITE: 'ENOSPC@1' },
    exit: 73,
    words: ['ENOSPC', 'new.yaml'],
    absent: ['new.yaml'],
  },
  {
    name: 'config init --force onto /dev/full',
    args: ['config', 'init', '--force', '-o', '/dev/full'],
    exit: 64,
    words: ['/dev/full', 'device'],
  },
  {
    name: 'config init -o a directory path',
    args: ['config', 'init', '--force', '-o', '@cfgdir/'],
    exit: 64,
    words: ['trailing slash'],
  },
  {
    name: 'config init will not overwrite without --force',
    args: ['config', 'init', '-o', '@streamctl.yaml'],
    exit: 64,
    words: ['already exists', '--force'],
  },
  {
    name: 'config init writes the example',
    args: ['config', 'init', '-o', '@new.yaml'],
    exit: 0,
    words: ['Wrote'],
    writes: ['new.yaml'],
  },
  {
    name: 'report --out the config it read',
    files: { 'empty.yaml': 'version: 1\n' },
    args: ['report', '--config', '@empty.yaml', '--out', '@empty.yaml'],
    exit: 64,
    words: ['empty.yaml', 'is the input'],
  },
  {
    name: 'report --out on a full disk',
    files: { 'empty.yaml': 'version: 1\n' },
    args: ['report', '--config', '@empty.yaml', '--out', '@report.md'],
    env: { STREAMCTL_FAILPOINT_WRITE: 'ENOSPC@1' },
    exit: 73,
    words: ['ENOSPC'],
    absent: ['report.md'],
  },
];

// --- 3. Snapshot and plan values: finite, in range, consistent ----------------------------------

const BAD_SNAPSHOTS: Array<{ name: string; text: string; words: string[] }> = [
  {
    name: 'capacityBytes 1e400 (Infinity)',
    text: snap((s) => (s.brokers[0].capacityBytes = 'INF')).replace('"INF"', '1e400'),
    words: ['brokers[0].capacityBytes', 'Infinity'],
  },
  {
    name: 'sizeBytes 1e400 (Infinity)',
    text: snap((s) => (s.partitions[0].sizeBytes = 'INF')).replace('"INF"', '1e400'),
    words: ['partitions[0].sizeBytes', 'Infinity'],
  },
  {
    name: 'sizeBytes beyond 2^53',
    text: snap((s) => (s.partitions[1].sizeBytes = 2 ** 60)),
    words: ['partitions[1].sizeBytes'],
  },
  {
    name: 'a negative sizeBytes',
    text: snap((s) => (s.partitions[0].sizeBytes = -1)),
    words: ['partitions[0].sizeBytes'],
  },
  {
    name: 'a broker id beyond int32',
    text: snap((s) => (s.brokers[2].id = 2 ** 31)),
    words: ['brokers[2].id', '2147483647'],
  },
  { name: 'a huge broker id', text: snap((s) => (s.brokers[2].id = 1e20)), words: ['brokers[2].id'] },
  { name: 'a fractional broker id', text: snap((s) => (s.brokers[0].id = 1.5)), words: ['brokers[0].id'] },
  {
    name: 'a leader that is not a broker',
    text: snap((s) => (s.partitions[2].leader = 9)),
    words: ['partitions[2].leader', 'broker'],
  },
  {
    name: 'an ISR member that is not a broker',
    text: snap((s) => (s.partitions[3].isr = [1, 7])),
    words: ['partitions[3].isr[1]'],
  },
  {
    name: 'a replica that is not a broker',
    text: snap((s) => (s.partitions[0].replicas = [1, 4])),
    words: ['partitions[0].replicas[1]'],
  },
  {
    name: 'a partition listed twice',
    text: snap((s) => s.partitions.push({ ...s.partitions[0] })),
    words: ['partitions[6]', 'twice'],
  },
  { name: 'version 2', text: snap((s) => (s.version = 2)), words: ['version'] },
  { name: 'no brokers', text: snap((s) => (s.brokers = [])), words: ['brokers'] },
  { name: 'truncated JSON', text: json(SNAPSHOT).slice(0, 120), words: ['valid JSON'] },
  { name: 'a top-level array', text: '[1,2,3]\n', words: ['(top level)'] },
  { name: 'an empty file', text: '', words: ['valid JSON'] },
  // V8's JSON.parse quoted the text around the error: part of an inline secret was printed.
  {
    name: 'a JSON syntax error inside an inline password',
    text: `{"version": 1, "cluster": "x", "password": ${SECRETS[1]}}\n`,
    words: ['valid JSON', 'Unexpected token (the text is not shown)'],
  },
  {
    name: 'a JSON syntax error right after an inline password',
    text: `{"version": 1,\n  "password": "${SECRETS[1]}" x}\n`,
    // Snapshots are streamed (core/json-stream.ts): the place is a byte offset.
    words: ['valid JSON', "Expected ',' or '}' after a property value at byte 58"],
  },
];

const SNAPSHOT_READERS: Array<{ cmd: string; argv: string[] }> = [
  { cmd: 'kafka disk', argv: ['kafka', 'disk', '--snapshot', '@bad.json'] },
  { cmd: 'kafka partitions', argv: ['kafka', 'partitions', '--snapshot', '@bad.json'] },
  {
    cmd: 'kafka rebalance plan',
    argv: ['kafka', 'rebalance', 'plan', '--snapshot', '@bad.json', '-o', '@out.json'],
  },
];

const snapshotCases: HostileCase[] = SNAPSHOT_READERS.flatMap((r) =>
  BAD_SNAPSHOTS.map((b) => ({
    name: `${r.cmd}: a snapshot with ${b.name}`,
    files: { 'bad.json': b.text },
    args: r.argv,
    exit: 65,
    words: ['bad.json', ...b.words],
    absent: PLAN_FILES,
  })),
);

const BAD_PLANS: Array<{ name: string; text: string; words: string[] }> = [
  {
    name: 'a replica id beyond int32',
    text: plan((p) => (p.partitions[0].replicas = [2, 2 ** 31])),
    words: ['partitions[0].replicas'],
  },
  {
    name: 'a huge replica id',
    text: plan((p) => (p.partitions[0].replicas = [2, 1e300])),
    words: ['partitions[0].replicas'],
  },
  {
    name: 'a negative partition',
    text: plan((p) => (p.partitions[0].partition = -1)),
    words: ['partitions[0].partition'],
  },
  {
    name: 'a partition beyond int32',
    text: plan((p) => (p.partitions[0].partition = 2 ** 31)),
    words: ['partitions[0].partition'],
  },
  {
    name: 'a replica listed twice',
    text: plan((p) => (p.partitions[0].replicas = [2, 2])),
    words: ['distinct'],
  },
  {
    name: 'log_dirs of the wrong length',
    text: plan((p) => (p.partitions[0].log_dirs = ['any'])),
    words: ['log_dirs'],
  },
  {
    name: 'an empty replica list',
    text: plan((p) => (p.partitions[0].replicas = [])),
    words: ['partitions[0].replicas'],
  },
  {
    name: 'a topic the snapshot does not have',
    text: plan((p) => (p.partitions[0].topic = 'nope')),
    words: ['nope'],
  },
  { name: 'truncated JSON', text: json(PLAN).slice(0, 30), words: ['valid JSON'] },
  {
    name: 'a JSON syntax error inside an inline token',
    text: `{"version": 1, "token": ${SECRETS[2]}, "partitions": []}\n`,
    words: ['valid JSON', 'Unexpected token'],
  },
  {
    name: 'a JSON syntax error after an inline token',
    text: `{"version": 1,\n"token": "${SECRETS[2]}"\n"partitions": []}\n`,
    words: ['valid JSON', 'at line 3, column 1'],
  },
  { name: 'version 7', text: plan((p) => (p.version = 7)), words: ['version'] },
];

const planCases: HostileCase[] = BAD_PLANS.map((b) => ({
  name: `kafka partitions --plan: a plan with ${b.name}`,
  files: { 'bad-plan.json': b.text },
  args: ['kafka', 'partitions', '--snapshot', '@snap.json', '--plan', '@bad-plan.json'],
  exit: 65,
  words: ['bad-plan.json', ...b.words],
}));

// --- 4. Flag values: finite, in range, usage errors (64) ---------------------------------------

const BAD_PLAN_FLAGS: Array<{ flags: string[]; words: string[] }> = [
  { flags: ['--throttle', '1e36'], words: ['--throttle'] },
  { flags: ['--throttle', '1000000000000000000000000000000000000'], words: ['--throttle', 'above'] },
  { flags: ['--throttle', '100000000TB/s'], words: ['--throttle', 'above'] },
  { flags: ['--throttle', '0'], words: ['--throttle', 'more than 0'] },
  { flags: ['--throttle', '-5MB/s'], words: ['--throttle'] },
  { flags: ['--throttle', '50Mb/s'], words: ['bits'] },
  { flags: ['--throttle', 'fast'], words: ['--throttle'] },
  { flags: ['--produce-rate', '1e400'], words: ['--produce-rate'] },
  { flags: ['--add-broker', '99999999999'], words: ['--add-broker', '2147483647'] },
  { flags: ['--add-broker', '2147483648:rack-z'], words: ['--add-broker'] },
  { flags: ['--add-broker', '-1'], words: ['--add-broker'] },
  { flags: ['--remove-broker', '1e3'], words: ['--remove-broker'] },
  { flags: ['--remove-broker', ','], words: ['--remove-broker'] },
  { flags: ['--max-spread', 'Infinity'], words: ['--max-spread'] },
  { flags: ['--max-spread', 'NaN'], words: ['--max-spread'] },
  { flags: ['--max-spread', '1e400'], words: ['--max-spread'] },
  { flags: ['--light-threshold', '1e400'], words: ['--light-threshold'] },
  { flags: ['--max-utilisation', ''], words: ['--max-utilisation'] },
  { flags: ['--seed', '1e400'], words: ['seed'] },
  { flags: ['--max-moves-per-broker', '0'], words: ['max-moves-per-broker'] },
  { flags: ['--max-moves-in-cluster', '-3'], words: ['max-moves-in-cluster'] },
  { flags: ['--order', 'sideways'], words: ['order'] },
  { flags: ['--max-input-size', 'lots'], words: ['--max-input-size'] },
  { flags: ['--max-input-size', '0'], words: ['--max-input-size'] },
  { flags: ['--bogus'], words: ['--bogus'] },
];

const flagCases: HostileCase[] = [
  ...BAD_PLAN_FLAGS.map((b) => ({
    name: `kafka rebalance plan ${b.flags.join(' ')}`,
    args: planCmd('-o', '@out.json', ...b.flags),
    exit: 64,
    words: b.words,
    absent: PLAN_FILES,
  })),
  { name: 'kafka rebalance plan without -o', args: planCmd(), exit: 64, words: ['output'] },
  {
    name: 'kafka rebalance plan with neither -c nor --snapshot',
    args: ['kafka', 'rebalance', 'plan', '-o', '@out.json'],
    exit: 64,
    words: ['--snapshot'],
  },
  {
    name: 'flink classify --changed-at nonsense is usage, not bad data',
    args: ['flink', 'classify', '--file', '@trace.txt', '--changed-at', 'yesterday-ish'],
    exit: 64,
    words: ['--changed-at', 'ISO-8601'],
  },
  {
    name: 'flink classify --failed-at nonsense',
    args: ['flink', 'classify', '--file', '@trace.txt', '--failed-at', '2026-13-45'],
    exit: 64,
    words: ['--failed-at'],
  },
  {
    name: 'flink classify --apps-failing -1',
    args: ['flink', 'classify', '--file', '@trace.txt', '--apps-failing', '-1'],
    exit: 64,
    words: ['apps-failing'],
  },
  {
    name: 'flink classify with both an app and --file',
    args: ['flink', 'classify', 'enricher', '--file', '@trace.txt'],
    exit: 64,
    words: ['not both'],
  },
  {
    name: 'flink classify from empty standard input',
    args: ['flink', 'classify', '--file', '-'],
    stdin: '',
    exit: 65,
    words: ['standard input'],
  },
  {
    name: 'flink classify from standard input above the cap',
    args: ['flink', 'classify', '--file', '-', '--max-input-size', '1KiB'],
    stdin: BIG(64 * 1024),
    exit: 65,
    words: ['standard input', '--max-input-size'],
  },
  {
    name: 'kafka disk --warn 1e400',
    args: ['kafka', 'disk', '--snapshot', '@snap.json', '--warn', '1e400'],
    exit: 64,
    words: ['warn'],
  },
];

// --- 5. Unknown commands and extra arguments are usage (64), not oclif's 2 -------------------------

const commandCases: HostileCase[] = [
  { name: 'an unknown command', args: ['nosuch'], exit: 64, words: ['unknown command', 'nosuch'] },
  {
    name: 'an unknown subcommand',
    args: ['kafka', 'nosuch'],
    exit: 64,
    words: ['unknown command', 'kafka nosuch'],
  },
  { name: 'an unknown command with --json', args: ['nosuch', '--json'], exit: 64, words: ['"exitCode": 64'] },
  {
    name: 'an extra argument to config validate',
    args: ['config', 'validate', 'extra'],
    exit: 64,
    words: ['config validate', 'unexpected argument "extra"'],
  },
  {
    name: 'an extra argument after the flags',
    args: ['kafka', 'disk', '--snapshot', '@snap.json', 'extra'],
    exit: 64,
    words: ['extra'],
  },
  {
    name: 'two extra arguments',
    args: ['healer', 'history', 'a', 'b'],
    exit: 64,
    words: ['Unexpected argument'],
  },
];

// --- 6. Configuration: strict everywhere, floors, time zones, alias bombs, secret files ----------

const cfg = (...lines: string[]) => `${lines.join('\n')}\n`;
const BAD_CONFIGS: Array<{ name: string; text: string; words: string[] }> = [
  {
    name: 'an unknown key inside a cluster',
    text: cfg('kafka:', '  clusters: [{ name: a, bootstrap: ["h:9092"], bogus: 1 }]'),
    words: ['kafka.clusters[0]', 'unknown key "bogus"'],
  },
  {
    name: 'an unknown key in healer',
    text: cfg('healer:', '  tickIntervall: 60s'),
    words: ['healer', 'unknown key "tickIntervall"'],
  },
  {
    name: 'an unknown key in healer.loop',
    text: cfg('healer:', '  loop: { windowPeriod: 5 }'),
    words: ['healer.loop', 'unknown key'],
  },
  {
    name: 'an unknown key in healer.daemon',
    text: cfg('healer:', '  daemon: { port: 9 }'),
    words: ['healer.daemon', 'unknown key'],
  },
  { name: 'an unknown key in aws', text: cfg('aws:', '  regionn: us-east-1'), words: ['aws', 'unknown key'] },
  {
    name: 'an unknown key in a Flink application',
    text: cfg('flink:', '  applications: [{ name: a, managed: { applicationName: a }, colour: red }]'),
    words: ['flink.applications[0]', 'unknown key'],
  },
  {
    name: 'an unknown key in notifications.slack',
    text: cfg('notifications:', '  slack: { webhook: { env: X }, channel: ops }'),
    words: ['notifications.slack', 'unknown key'],
  },
  { name: 'an unknown top-level key', text: cfg('kafak: {}'), words: ['unknown key "kafak"'] },
  {
    name: 'an unknown key in an MSK reference',
    text: cfg(
      'kafka:',
      '  clusters: [{ name: a, msk: { arn: "arn:aws:kafka:us-east-1:123456789012:cluster/a/b", regin: x } }]',
    ),
    words: ['kafka.clusters[0].msk', 'unknown key'],
  },
  {
    name: 'an unknown key in aws.endpoints',
    text: cfg('aws:', '  endpoints: { kinesis: "http://x" }'),
    words: ['aws.endpoints', 'unknown key'],
  },
  {
    name: 'an unknown key in healer.verify',
    text: cfg('healer:', '  verify: { timeoutt: 5m }'),
    words: ['healer.verify', 'unknown key'],
  },
  {
    name: 'an unknown key in healer.fleetBreaker',
    text: cfg('healer:', '  fleetBreaker: { ratio: 0.5 }'),
    words: ['healer.fleetBreaker', 'unknown key'],
  },
  {
    name: 'an unknown key in allowed hours',
    text: cfg('healer:', '  allowedHours: { start: "09:00", end: "17:00", tz: UTC }'),
    words: ['healer.allowedHours', 'unknown key'],
  },
  {
    name: 'an unknown key in a secret reference',
    text: cfg('notifications:', '  slack: { webhook: { env: X, value: leaked } }'),
    words: ['notifications.slack.webhook'],
  },
  {
    name: 'healer.tickInterval: 0s (the daemon busy-looped)',
    text: cfg('healer:', '  tickInterval: 0s'),
    words: ['healer.tickInterval', 'at least 5s'],
  },
  {
    name: 'healer.tickInterval: 1ms',
    text: cfg('healer:', '  tickInterval: 1ms'),
    words: ['healer.tickInterval', 'at least'],
  },
  {
    name: 'healer.suspectCheckInterval: 0s',
    text: cfg('healer:', '  suspectCheckInterval: 0s'),
    words: ['healer.suspectCheckInterval'],
  },
  {
    name: 'an invalid time zone in allowed hours',
    text: cfg('healer:', '  allowedHours: { start: "09:00", end: "17:00", timezone: Mars/Olympus }'),
    words: ['healer.allowedHours.timezone', 'time zone'],
  },
  { name: 'healer.mode bogus', text: cfg('healer:', '  mode: yolo'), words: ['healer.mode'] },
  { name: 'a YAML alias bomb (was exit 70)', text: ALIAS_BOMB, words: ['bad.yaml', 'alias'] },
  { name: 'a duplicate key', text: cfg('healer:', '  mode: act', '  mode: dry-run'), words: ['bad.yaml'] },
  {
    name: 'a YAML syntax error next to an inline password',
    text: cfg(
      'kafka:',
      '  clusters:',
      `    - { name: a, password: ${SECRETS[1]}, bootstrap: ["h:9092"]`,
      '  oops: [unclosed',
    ),
    words: ['bad.yaml', 'YAML'],
  },
  {
    name: 'an unclosed quote around an inline password',
    text: cfg('kafka:', '  clusters:', '    - name: a', `      password: '${SECRETS[1]}`),
    words: ['bad.yaml', 'YAML'],
  },
  {
    name: 'a stray colon in an inline password',
    text: cfg('kafka:', '  clusters:', '    - name: a', `      password: ${SECRETS[1]}: x`),
    words: ['bad.yaml', 'YAML'],
  },
  {
    name: 'a bad indent under an inline password',
    text: cfg('kafka:', '  clusters:', '    - name: a', `     password: ${SECRETS[1]}`, '      x: [1'),
    words: ['bad.yaml', 'YAML'],
  },
  { name: 'a list at the top level', text: cfg('- a', '- b'), words: ['bad.yaml'] },
  { name: 'a string at the top level', text: cfg('just words'), words: ['bad.yaml'] },
  {
    name: 'an inline secret instead of a reference',
    text: cfg(
      'kafka:',
      '  clusters:',
      `    - { name: a, bootstrap: ["h:9092"], auth: { type: scram, username: u, password: ${SECRETS[1]} } }`,
    ),
    words: ['password'],
  },
  {
    name: 'a numeric threshold of 1e400',
    text: cfg('kafka:', '  clusters: [{ name: a, bootstrap: ["h:9092"], diskWarnPercent: 1e400 }]'),
    words: ['diskWarnPercent'],
  },
];

const otherConfigReaders: HostileCase[] = [
  {
    name: 'config show --config /dev/zero',
    args: ['config', 'show', '--config', '/dev/zero'],
    exit: 78,
    words: ['/dev/zero', 'device'],
  },
  {
    name: 'kafka health --config /dev/zero',
    args: ['kafka', 'health', '--config', '/dev/zero'],
    exit: 78,
    words: ['/dev/zero'],
  },
  {
    name: 'config show of an alias bomb',
    files: { 'bomb.yaml': ALIAS_BOMB },
    args: ['config', 'show', '--config', '@bomb.yaml'],
    exit: 78,
    words: ['bomb.yaml', 'alias'],
  },
  {
    name: 'STREAMCTL_CONFIG pointing at a FIFO',
    setup: (d) => mkfifo(d, 'cfg.fifo'),
    args: ['config', 'validate'],
    env: { STREAMCTL_CONFIG: 'cfg.fifo' },
    exit: 78,
    words: ['cfg.fifo', 'FIFO'],
  },
  {
    name: 'flink classify reads a UTF-16 trace',
    files: { 'trace16.txt': utf16(TRACE) },
    args: ['flink', 'classify', '--file', '@trace16.txt'],
    exit: 0,
    words: ['NullPointerException'],
  },
];

const configCases: HostileCase[] = BAD_CONFIGS.map((b) => ({
  name: `config validate: ${b.name}`,
  files: { 'bad.yaml': b.text },
  args: ['config', 'validate', '--config', '@bad.yaml'],
  exit: 78,
  words: b.words,
}));

const secretConfig = (file: string) =>
  cfg(
    'kafka:',
    '  clusters:',
    '    - name: orders',
    '      bootstrap: ["127.0.0.1:1"]',
    `      auth: { type: scram, username: ops, password: { file: "${file}" } }`,
  );
const BAD_SECRETS: Array<{
  name: string;
  file: string;
  setup?: (d: string) => void;
  files?: Record<string, string>;
  words: string[];
}> = [
  { name: '/dev/zero (used to hang)', file: '/dev/zero', words: ['/dev/zero', 'device'] },
  { name: 'a FIFO', file: 'FIFO', setup: (d) => mkfifo(d, 'pw-fifo'), words: ['pw-fifo', 'FIFO'] },
  { name: 'a missing file', file: 'MISSING', words: ['missing-pw.txt', 'no such'] },
  {
    name: 'a 2 MiB file',
    file: 'HUGE',
    files: { 'huge-pw.txt': BIG(2 * 1024 * 1024) },
    words: ['too large'],
  },
  { name: 'an empty file', file: 'EMPTY', files: { 'empty-pw.txt': '' }, words: ['empty'] },
];

const secretCases: HostileCase[] = BAD_SECRETS.map((b) => ({
  name: `kafka health: a secret file that is ${b.name}`,
  setup: (d: string) => {
    b.setup?.(d);
    const path = {
      FIFO: 'pw-fifo',
      MISSING: 'missing-pw.txt',
      HUGE: 'huge-pw.txt',
      EMPTY: 'empty-pw.txt',
    }[b.file];
    writeFileSync(join(d, 's.yaml'), secretConfig(path ? join(d, path) : b.file));
  },
  ...(b.files ? { files: b.files } : {}),
  args: ['kafka', 'health', '-c', 'orders', '--config', '@s.yaml'],
  exit: 78,
  words: ['auth.password', ...b.words],
}));

// --- 7. Scenarios: values that cannot make sense are refused, the healer section is strict -------

const scenario = (edit: (text: string) => string) => edit(SCENARIO);
const BAD_SCENARIOS: Array<{ name: string; text: string; words: string[] }> = [
  {
    name: 'every: 0s (exhausted the heap)',
    text: scenario((t) => t.replace('every: 40s', 'every: 0s')),
    words: ['loop.every', 'at least 5s'],
  },
  {
    name: 'every: 1ms (ran forever)',
    text: scenario((t) => t.replace('every: 40s', 'every: 1ms')),
    words: ['loop.every'],
  },
  { name: 'every: 4s', text: scenario((t) => t.replace('every: 40s', 'every: 4s')), words: ['loop.every'] },
  {
    name: 'a huge duration (took 80 s)',
    text: scenario((t) => t.replace('duration: 30m', 'duration: 9999h')),
    words: ['duration', '6h'],
  },
  {
    name: 'duration: 0s',
    text: scenario((t) => t.replace('duration: 30m', 'duration: 0s')),
    words: ['duration'],
  },
  {
    name: 'a loop whose until is before its start',
    text: scenario((t) => t.replace('every: 40s', 'every: 40s\n        until: 2m')),
    words: ['loop.until', 'after'],
  },
  {
    name: 'metric times running backwards',
    text: scenario((t) => t.replace('world:', 'world:\n  metricsMissing: [{ from: 10m, to: 5m }]')),
    words: ['metricsMissing[0].to', 'after from'],
  },
  {
    name: 'a fleet loop whose until is before its start',
    text: `${SCENARIO}fleet:\n  apps: 5\n  looping: { count: 3, at: 10m, every: 40s, until: 5m, exception: "java.io.IOException: x" }\n`,
    words: ['fleet.looping.until'],
  },
  {
    name: 'an unknown key in healer',
    text: scenario((t) => t.replace('  mode: act', '  mode: act\n  tickIntervall: 60s')),
    words: ['healer', 'unknown key'],
  },
  {
    name: 'an invalid healer.mode (was a raw zod array, exit 70)',
    text: scenario((t) => t.replace('mode: act', 'mode: yolo')),
    words: ['healer.mode'],
  },
  {
    name: 'healer.tickInterval: 0s',
    text: scenario((t) => t.replace('  mode: act', '  mode: act\n  tickInterval: 0s')),
    words: ['healer.tickInterval'],
  },
  {
    name: 'an invalid time zone in healer.allowedHours',
    text: scenario((t) =>
      t.replace(
        '  mode: act',
        '  mode: act\n  allowedHours: { start: "08:00", end: "18:00", timezone: Nowhere/City }',
      ),
    ),
    words: ['healer.allowedHours.timezone'],
  },
  { name: 'a YAML alias bomb', text: ALIAS_BOMB, words: ['bad.yaml', 'alias'] },
  { name: 'not YAML at all', text: '{{{{ ]]]\n', words: ['bad.yaml', 'YAML'] },
  {
    name: 'an unknown event',
    text: scenario((t) => t.replace('update: {', 'upgrade: {')),
    words: ['world.events[0]'],
  },
];

const scenarioCases: HostileCase[] = BAD_SCENARIOS.map((b) => ({
  name: `healer simulate: ${b.name}`,
  files: { 'bad.yaml': b.text },
  args: ['healer', 'simulate', '-s', '@bad.yaml'],
  exit: 65,
  words: b.words,
}));

// --- 8. Lying about success: nothing done is not exit 0 --------------------------------------------

const unreachableAws = cfg(
  'aws:',
  '  region: us-east-1',
  '  endpoints: { kinesisanalyticsv2: "http://127.0.0.1:1", cloudwatch: "http://127.0.0.1:1", kafka: "http://127.0.0.1:1" }',
  'flink:',
  '  applications:',
  '    - { name: enricher, managed: { applicationName: enricher } }',
  'kafka:',
  '  clusters:',
  '    - { name: orders, msk: { arn: "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc" } }',
);
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAHOSTILE',
  AWS_SECRET_ACCESS_KEY: SECRETS[2]!,
  AWS_REGION: 'us-east-1',
};

// The daemon refuses to start on what would make it busy-loop or act at the wrong hours.
const daemonStartCases: HostileCase[] = [
  ['healer.tickInterval: 0s', cfg('healer:', '  tickInterval: 0s'), 'healer.tickInterval'],
  [
    'healer.suspectCheckInterval: 0s',
    cfg('healer:', '  suspectCheckInterval: 0s'),
    'healer.suspectCheckInterval',
  ],
  [
    'an invalid time zone in allowedHours',
    cfg('healer:', '  allowedHours: { start: "09:00", end: "17:00", timezone: Mars/Olympus }'),
    'healer.allowedHours.timezone',
  ],
  [
    'healer.daemon.shutdownGrace: 0s',
    cfg('healer:', '  daemon: { shutdownGrace: 0s }'),
    'healer.daemon.shutdownGrace',
  ],
  [
    'healer.daemon.tickDeadline: 0s',
    cfg('healer:', '  daemon: { tickDeadline: 0s }'),
    'healer.daemon.tickDeadline',
  ],
].map(([name, text, word]) => ({
  name: `healer run refuses to start: ${name}`,
  files: { 'daemon.yaml': text! },
  args: ['healer', 'run', '--config', '@daemon.yaml'],
  exit: 78,
  words: [word!],
}));

const deadlineFlagCases: HostileCase[] = ['0s', 'soon', '-5m'].map((d) => ({
  name: `flink apps --deadline ${d}`,
  files: { 'aws.yaml': unreachableAws },
  args: ['flink', 'apps', '--deadline', d, '--config', '@aws.yaml'],
  env: AWS_ENV,
  exit: 64,
  words: ['--deadline', 'a duration'],
}));

const successCases: HostileCase[] = [
  {
    name: 'alarms install --yes with every target unreachable',
    files: { 'aws.yaml': unreachableAws },
    args: ['alarms', 'install', '--yes', '--config', '@aws.yaml'],
    env: AWS_ENV,
    exit: 69,
    words: ['no alarm installed', 'flink/enricher', 'kafka/orders'],
  },
];

// --- 9. Network faults against local servers (fault-servers.ts): end in time with 69 or 75 -------

/** `%PORT:<fault>%` is replaced by the port of that fault's server when the case runs. */
const faultConfig = (fault: Fault) =>
  cfg(
    'aws:',
    '  region: us-east-1',
    `  endpoints: { kinesisanalyticsv2: "http://127.0.0.1:%PORT:${fault}%", cloudwatch: "http://127.0.0.1:%PORT:${fault}%", kafka: "http://127.0.0.1:%PORT:${fault}%" }`,
    'flink:',
    '  applications:',
    '    - { name: enricher, managed: { applicationName: enricher } }',
    `    - { name: selfm, rest: { url: "http://127.0.0.1:%PORT:${fault}%", token: { env: FLINK_TOKEN } } }`,
    'kafka:',
    '  clusters:',
    '    - { name: orders, msk: { arn: "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc" } }',
  );

const NETWORK: Array<{ cmd: string[]; faults: Array<[Fault, number]>; words: string[] }> = [
  {
    cmd: ['flink', 'apps'],
    faults: [
      ['refused', 69],
      ['500', 69],
      ['429', 69],
      ['json', 69],
      ['garbage', 69],
      ['hang', 69],
      ['slow', 69],
    ],
    words: ['no Flink application could be described'],
  },
  {
    cmd: ['kafka', 'clusters'],
    faults: [
      ['refused', 69],
      ['500', 69],
      ['429', 69],
      ['json', 69],
      ['garbage', 69],
    ],
    words: ['no Kafka cluster could be described'],
  },
  {
    cmd: ['flink', 'operations', 'enricher'],
    faults: [
      ['refused', 69],
      ['500', 69],
      ['429', 75],
      ['json', 69],
      ['garbage', 69],
      ['hang', 75],
      ['slow', 75],
    ],
    words: ['ListApplicationOperations'],
  },
  {
    cmd: ['flink', 'subtasks', 'selfm'],
    faults: [
      ['refused', 69],
      ['500', 69],
      ['429', 75],
      ['hang', 75],
      ['slow', 75],
    ],
    words: ['Flink REST'],
  },
  {
    cmd: ['alarms', 'install', '--yes'],
    faults: [
      ['refused', 69],
      ['500', 69],
      ['garbage', 69],
    ],
    words: ['no alarm installed'],
  },
];

// A report that could read nothing says UNKNOWN (3) and "restarts unknown", never "0 restart(s)".
NETWORK.push({
  cmd: ['report'],
  faults: [
    ['refused', 3],
    ['500', 3],
    ['garbage', 3],
  ],
  words: ['restarts unknown: no datapoint could be read', 'UNKNOWN'],
});

// The whole command's deadline (--deadline; 2 minutes by default for read-only network commands):
// a command of many calls, each under its own 40 s deadline, could still run for minutes.
const DEADLINE_COMMANDS: string[][] = [
  ['flink', 'status', 'enricher'],
  ['flink', 'restarts', 'enricher'],
  ['doctor'],
  ['report'],
  ['watch', '--once'],
  ['kafka', 'clusters'],
];
for (const cmd of DEADLINE_COMMANDS)
  NETWORK.push({
    cmd: [...cmd, '--deadline', '4s'],
    faults: [
      ['hang', 75],
      ['slow', 75],
    ],
    words: ['did not finish within 4s (its deadline)'],
  });

const networkCases: HostileCase[] = NETWORK.flatMap((n) =>
  n.faults.map(([fault, exit]) => ({
    name: `${n.cmd.join(' ')} against a server that is ${fault}`,
    files: { 'net.yaml': faultConfig(fault) },
    args: [...n.cmd, '--config', '@net.yaml'],
    env: { ...AWS_ENV, FLINK_TOKEN: SECRETS[2]! },
    exit,
    words: n.words,
  })),
);

/** Every case, grouped as the classes. */
export const CASES: HostileCase[] = [
  ...readerCases,
  ...encodingCases,
  ...outputCases,
  ...snapshotCases,
  ...planCases,
  ...flagCases,
  ...commandCases,
  ...configCases,
  ...otherConfigReaders,
  ...secretCases,
  ...scenarioCases,
  ...successCases,
  ...deadlineFlagCases,
  ...daemonStartCases,
  ...networkCases,
];
