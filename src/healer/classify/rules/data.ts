/**
 * Records the job cannot handle (user): malformed input, schema mismatches, nulls in fields that
 * Flink's serializers or a SQL NOT NULL column reject, Python UDF errors. The job owner decides
 * how bad records are handled, so a loop on one is theirs to fix.
 */
import { frameOrigin } from '../frames.js';
import type { RuleHit } from '../types.js';
import { aboutFrameworkType, clip, type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const DATA: readonly PatternFamily[] = [
  {
    rule: 'flink-api-misused-by-job',
    subtype: 'user-code-error',
    weight: 0.75,
    exception: /(?:^|\.)(?:InvalidProgramException|InvalidTypesException)$/,
    // Flink's own code generation failing, or a connector's object that is not serializable, is
    // not the job misusing the API (ownership.ts).
    unless:
      /Table program cannot be compiled|This is a bug|(?:org\.apache\.flink\.(?:connector|connectors|streaming\.connectors|formats|cdc)|com\.ververica\.cdc|org\.apache\.(?:paimon|iceberg|hudi|doris)|com\.starrocks)[\w.$]*@[0-9a-f]+ is not serializable/,
    message:
      /The runtime context has not been initialized|Keyed state can only be used on a 'keyed stream'|Timers can only be used on keyed operators|Setting timers is only supported on a keyed stream|could not be determined automatically|is not serializable\. The (?:object|implementation)|The implementation of the .{1,120} is not serializable|cannot be used as key|Key group \d+ is not in KeyGroupRange|Could not extract key from|Assigned key must not be null|Generic types have been disabled in the ExecutionConfig/i,
  },
  {
    rule: 'record-cannot-be-decoded',
    subtype: 'bad-input-data',
    weight: 0.6,
    exception:
      /(?:^|\.)(?:JsonParseException|JsonMappingException|MismatchedInputException|UnrecognizedPropertyException|InvalidFormatException|InvalidDefinitionException|JsonEOFException|SerializationException|DeserializationException|AvroRuntimeException|AvroTypeException|SchemaParseException|InvalidProtocolBufferException|DateTimeParseException|MalformedInputException|CsvReadException)$/,
    message:
      /Failed to deserialize|Could not deserialize|Error deserializing|Error while deserializing|Unknown magic byte|Failed to (?:parse|decode) (?:record|message|json|event)|Unrecognized token|Unexpected character|Cannot deserialize value of type|Error registering Avro schema|Schema being registered is incompatible/i,
  },
  {
    rule: 'null-into-not-null-column',
    subtype: 'null-in-user-data',
    weight: 0.8,
    message:
      /Column '[^']+' is NOT NULL, however, a null value is being written into it|NOT NULL constraint|null value .{0,40}(?:not-null|non-nullable)/i,
  },
  {
    rule: 'record-cannot-be-converted',
    subtype: 'sink-record-conversion',
    weight: 0.7,
    exception:
      /(?:^|\.)(?:DataConversionException|ConversionException|TypeConversionException|DataTypeException|SchemaMismatchException)$/,
    message:
      /Could not convert|cannot be converted to|Failed to convert|Unable to convert|Cannot convert|conversion (?:error|failed)|Unsupported (?:data )?type(?: for| in| of|:)|type mismatch|does not match the (?:table )?schema|Failed to serialize (?:row|record|value)|Could not serialize row|Incorrect (?:integer|decimal|datetime|date) value|Invalid (?:date|timestamp|decimal) (?:value|format)|Cannot parse .{1,60} as|out of range for (?:type|column)|Numeric value .{0,40} out of range|Can not cast/i,
  },
  {
    rule: 'records-filtered-by-sink',
    subtype: 'sink-record-conversion',
    weight: 0.7,
    message:
      /too many filtered rows|The row is out of partition ranges|no partition for this tuple|doesn't have a partition for|rows? (?:has |have )?no partition|rows? couldn't find a partition|Row .{0,40} is out of partition range|Column '[^']+' cannot be null|cannot be null for column|NumberFilteredRows["':\s]+[1-9]|data quality (?:error|check failed)|dirty data/i,
  },
  {
    rule: 'record-rejected-by-sink-schema',
    subtype: 'bad-input-data',
    weight: 0.6,
    exception:
      /(?:^|\.)(?:SQLIntegrityConstraintViolationException|SQLDataException|DataTruncation|MysqlDataTruncation)$/,
    message:
      /Duplicate entry .{1,120} for key|violates (?:unique|foreign key|not-null|check) constraint|Data too long for column|Data truncation|mapper_parsing_exception|document_parsing_exception|strict_dynamic_mapping_exception|value too long for type|Incorrect (?:string|integer|decimal|date|datetime) value|is of type .{1,60} but expression is of type|invalid input syntax for (?:type )?\w+|Out of range value for column|numeric field overflow|Column count doesn't match value count|ORA-(?:01400|12899|00001|01722)/i,
  },
];

/** Classes on the record path that reject nulls: a null here was produced by the job. */
const NULL_HOSTILE =
  /serializ|Serializ|Converter|convert|typeutils|StateTable|state\.heap|HeapValueState|HeapListState|RocksDB\w*State|\.data\.(?:Generic|Binary|writer)|BinaryRowWriter|RowData|StringData|KeyGroupRangeAssignment|KeySelector|assignToKeyGroup|\.Collector|CopyingChainingOutput|RecordWriter/i;

/** Frames of a state restore: snapshots read back, not records the job emits. */
const RESTORE_PATH =
  /RestoreOperation|\.restore\w*$|readKeyGroupStateData|StateSnapshotReader|SavepointReader/;

/**
 * A NullPointerException raised inside Flink's serializers or state with no job frame on top: the
 * job emitted or keyed by a null (Flink rejects nulls there), not a runtime fault.
 */
function nullInSerializer(ev: Evidence): RuleHit | undefined {
  const root = ev.root;
  if (!root) return undefined;
  // Flink's record path rethrows a null-caused failure as a bare RuntimeException (the NPE's null message).
  const bare = /(?:^|\.)RuntimeException$/.test(root.exception) && root.message.trim() === '';
  if (!/(?:^|\.)NullPointerException$/.test(root.exception) && !bare) return undefined;
  const top = root.frames.slice(0, 6).filter((f) => frameOrigin(f.cls) !== 'jdk');
  const first = top[0];
  // Restoring or reading a snapshot back runs no record of the job: a null there is Flink's.
  if (root.frames.slice(0, 12).some((f) => RESTORE_PATH.test(`${f.cls}.${f.method}`))) return undefined;
  // Flink's serializers and state, or a format's serializer (JSON/Avro/CSV rows the job produced).
  const origin = first ? frameOrigin(first.cls) : undefined;
  if (
    !first ||
    !(origin === 'flink' || (origin === 'connector' && first.cls.startsWith('org.apache.flink.formats.')))
  )
    return undefined;
  // Only Flink's own record path (or a format's serializer) rejects nulls by design; a connector's
  // deserializer failing on a null is that connector's bug (ownership.ts).
  // The null must be met where it is rejected: the NPE raised in (or right below) such a frame.
  const hostile = top
    .slice(0, 2)
    .find(
      (f) =>
        NULL_HOSTILE.test(`${f.cls}.${f.method}`) &&
        (frameOrigin(f.cls) === 'flink' || f.cls.startsWith('org.apache.flink.formats.')),
    );
  if (!hostile) return undefined;
  return {
    rule: 'null-rejected-by-serializer-or-state',
    subtype: 'null-in-user-data',
    weight: 0.55,
    evidence: `${root.exception.split('.').pop()} in ${hostile.cls}.${hostile.method}: Flink serializers, key selection and state reject null values/keys produced by the job`,
  };
}

const PY_FRAMEWORK =
  /site-packages|dist-packages|\.zip\/|\/lib\/python\d[\d.]*\/|\/pyflink\/(?:fn_execution|table|datastream|common|util|java_gateway|serializers|metrics|version)|\/apache_beam\/|py4j/;

/** A Python traceback through the job's own .py files (PyFlink UDFs). */
function pythonUdfError(ev: Evidence): RuleHit | undefined {
  const frames = [...ev.allText.matchAll(/File "([^"]+\.py)", line (\d+), in (\S+)/g)];
  // Framework Python: installed packages, PyFlink's own modules, Beam's harness, py4j. Job files are
  // everything else (PyFlink stages them under …/python-files/… or the job's own directory).
  const own = frames.filter((f) => !PY_FRAMEWORK.test(f[1] ?? ''));
  const last = own[own.length - 1];
  if (!last) return undefined;
  return {
    rule: 'python-udf-traceback',
    subtype: 'user-code-error',
    weight: 0.7,
    evidence: clip(`job code ${last[1]}:${last[2]} in ${last[3]}`),
  };
}

/** Data rules. */
export function dataRules(ev: Evidence): RuleHit[] {
  const out = matchFamilies(DATA, ev).map((h) =>
    h.rule === 'flink-api-misused-by-job'
      ? aboutFrameworkType(
          h,
          /and type ([\w$.]+) is treated as a generic type/.exec(ev.allText)?.[1],
          frameOrigin,
          {
            rule: 'framework-type-not-serializable',
            subtype: 'connector-bug',
            weight: -0.5,
            what: 'Flink has no serializer for it, which its maintainers must provide',
          },
        )
      : h,
  );
  const n = nullInSerializer(ev);
  if (n) out.push(n);
  const p = pythonUdfError(ev);
  if (p) out.push(p);
  return out;
}
