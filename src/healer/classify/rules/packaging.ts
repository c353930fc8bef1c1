/**
 * Bad packaging and dependency conflicts (user): a class or method the job needs is missing or
 * comes from two class loaders. Flink ships its runtime; everything else is in the job jar, so a
 * missing class after a deploy is the deploy's fault — even when the missing class is a Flink one
 * (a connector not bundled, a jar built against another Flink version).
 */

import { frameOrigin } from '../frames.js';
import type { RuleHit } from '../types.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const PACKAGING: readonly PatternFamily[] = [
  {
    rule: 'missing-or-conflicting-class',
    subtype: 'bad-packaging',
    weight: 0.9,
    exception:
      /(?:^|\.)(?:ClassNotFoundException|NoClassDefFoundError|NoSuchMethodError|NoSuchFieldError|AbstractMethodError|IncompatibleClassChangeError|IllegalAccessError|LinkageError|UnsupportedClassVersionError|VerifyError|ServiceConfigurationError|ClassFormatError)$/,
    message:
      /Cannot load user class|(?:Could not|Cannot|Can't|Unable to) find (?:any )?factory (?:for|with) identifier|Could not find a suitable table factory|No (?:Executor|Planner)Factory found|Could not instantiate the executor|(?:is|are) in unnamed module of loader|loader constraint violation|Could not initialize class|Unsupported callback type|java\.lang\.(?:ClassNotFoundException|NoClassDefFoundError|NoSuchMethodError)|has been compiled by a more recent version of the Java Runtime|jar hell|The program's entry point class '[^']+' (?:was not found|could not be loaded)|Neither a 'Main-Class', nor a 'program-class' entry was found|(?:^|\s)class ([\w$.]+) cannot be cast to class \1 |Class [\w$.]+ could not be found|Unable to find class: [\w$.]+|'JavaPackage' object is not callable|(?:^|\s)(?:class )?[\w$]+(?:\.[\w$]+)*\.([\w$]+) cannot be cast to (?:class )?[\w$]+(?:\.[\w$]+)*\.\2(?=[\s(]|$)|Incompatible KafkaProducer version|cannot assign instance of java\.lang\.invoke\.SerializedLambda|Invalid lambda deserialization|Python process exits with code|unsupported .{0,40}connector version|connector version .{0,60}(?:not supported|unsupported)|No module named|ModuleNotFoundError|ImportError: |Cannot run program "?python|Failed to (?:start|execute) (?:the )?python (?:process|command|worker)|python(?:3)? (?:executable )?(?:not found|could not be found)|pyflink is not installed|Could not find (?:the )?python|loader '?app'? .{0,80}cannot be cast|(?:^|[\s:`'"(])(?:NoClassDefFoundError|ClassNotFoundException|NoSuchMethodError|NoSuchFieldError|AbstractMethodError)(?::|\s+[\w$]+[./])|Could not look up the main\(String\[\]\) method from the class [\w$.]+: [\w$]+(?:\/[\w$]+){2,}|(?:^|\s)[\w$]+(?:\.[\w$]+){2,}\((?:\[*(?:L[\w/$]+;|[ZBCSIJFD]))+\)(?:\[*(?:L[\w/$]+;|[ZBCSIJFDV]))?(?:\s|$)|JAR file can't be read|Could not (?:open|read) (?:the )?(?:user )?jar file/,
  },
  {
    // A checkpoint or sink path whose scheme no installed plugin serves: the deployment lacks the
    // file-system plugin (or the path's scheme is mistyped) — what the owner ships, not an outage.
    rule: 'file-system-plugin-missing',
    subtype: 'bad-packaging',
    weight: 0.6,
    exception: /(?:^|\.)UnsupportedFileSystemSchemeException$/,
    message:
      /Could not find a file system implementation for scheme|No FileSystem for scheme|Hadoop is not in the classpath\/dependencies/i,
  },
  {
    // PyFlink could not start the job's Python environment: the interpreter, the packages or the
    // archive the owner ships.
    rule: 'python-environment-broken',
    subtype: 'bad-packaging',
    weight: 0.5,
    message:
      /Failed to create stage bundle factory|Python (?:worker|process|environment) .{0,60}(?:exited|failed to start|could not be started)|No Python interpreter|python3?: (?:command )?not found/i,
  },
  {
    rule: 'user-class-static-init-failed',
    subtype: 'bad-packaging',
    weight: 0.6,
    exception: /(?:^|\.)ExceptionInInitializerError$/,
  },
];

const CLASS_MISSING = /(?:^|\.)(?:ClassNotFoundException|NoClassDefFoundError)$/;
const SYSTEM_LOADER = /(?:ClassLoaders\$AppClassLoader|Launcher\$AppClassLoader|BuiltinClassLoader)$/;
const USER_LOADER =
  /(?:FlinkUserCodeClassLoader|ChildFirstClassLoader|ParentFirstClassLoader|SafetyNetWrapperClassLoader)/;

/**
 * A class looked up by framework code through the JVM's system class loader (not Flink's user-code
 * class loader) cannot see job classes by design: a library in Flink's lib/ calling Class.forName.
 * The jar may be fine; the framework looked in the wrong place (Flink "debugging classloading").
 * This tempers, but does not cancel, the packaging verdict.
 */
function lookedUpByParentLoader(ev: Evidence): RuleHit | undefined {
  const root = ev.root;
  if (!root || !CLASS_MISSING.test(root.exception)) return undefined;
  const classes = root.frames.map((f) => f.cls);
  if (!classes.some((c) => SYSTEM_LOADER.test(c)) || classes.some((c) => USER_LOADER.test(c)))
    return undefined;
  const caller = root.frames.find((f) => frameOrigin(f.cls) !== 'jdk');
  if (!caller || ['user', 'generated'].includes(frameOrigin(caller.cls))) return undefined;
  return {
    rule: 'class-looked-up-by-parent-class-loader',
    subtype: 'classloader-lookup',
    weight: -0.4,
    evidence: `${caller.cls}.${caller.method} loaded ${root.message || 'a class'} through the system class loader, which never sees job classes`,
  };
}

const LINKAGE =
  /(?:^|\.)(?:NoSuchMethodError|NoSuchFieldError|AbstractMethodError|IncompatibleClassChangeError)$/;

/** A connector's module: `org.apache.flink.connector.kafka` within Flink's namespace, else `org.apache.hudi`. */
function moduleOf(cls: string): string {
  const parts = cls.split('.');
  return parts.slice(0, cls.startsWith('org.apache.flink.') ? 4 : 3).join('.');
}

/** The class a linkage error names: `'void a.b.C.<init>(…)'`, `a.b.C.m(…)`, `a/b/C`. */
function classNamed(message: string): string | undefined {
  const m =
    /([a-z_][\w$]*(?:[./][\w$]+)+)\.(?:<init>|[\w$]+)\(/.exec(message) ??
    /^'?([a-z_][\w$]*(?:[./][\w$]+)+)/.exec(message);
  return m?.[1]?.replace(/\//g, '.');
}

/**
 * A connector whose own classes do not link — its code calls a method of its own module that its
 * bundle does not have, or of a library it relocated into its own namespace — was built or
 * bundled wrong by its maintainers: a connector bug, not the job's packaging (e.g. a table format's
 * Flink bundle calling its own shaded Avro). Between different modules (a connector built for
 * another Flink version) it stays packaging: the owner picked the jar.
 */
function connectorInternalLinkage(ev: Evidence): RuleHit | undefined {
  const root = ev.root;
  if (!root || !LINKAGE.test(root.exception)) return undefined;
  const missing = classNamed(root.message);
  if (!missing || frameOrigin(missing) !== 'connector') return undefined;
  const caller = root.frames.find((f) => frameOrigin(f.cls) !== 'jdk');
  if (caller && ['user', 'generated'].includes(frameOrigin(caller.cls))) return undefined;
  const relocated = /^(?:org\.apache\.\w+|com\.\w+)\.(?:shaded\.)?(?:org|com|io|net)\./.test(missing);
  if (!relocated && (!caller || moduleOf(caller.cls) !== moduleOf(missing))) return undefined;
  return {
    rule: 'connector-classes-do-not-link',
    subtype: 'connector-bug',
    weight: -0.6,
    evidence: `${root.exception.split('.').pop()}: ${missing} is the connector's own${relocated ? ' relocated' : ''} class${caller ? `, called from ${caller.cls}` : ''}: its bundle does not link`,
  };
}

/** Packaging rules. */
/**
 * A class missing while Flink's RPC (Pekko/Akka remoting) deserializes a message: the RPC system
 * resolves classes with Flink's own class loader, so a failure that carries a job or connector
 * exception cannot be read back there. The job's jar is not short of anything; the RPC is.
 */
function rpcCannotResolveClass(ev: Evidence): RuleHit | undefined {
  if (!/ClassNotFoundException/.test(ev.allText)) return undefined;
  const where =
    /(?:org\.apache\.pekko|akka)\.(?:util\.ClassLoaderObjectInputStream\.resolveClass|remote\.\w+)/.exec(
      ev.allText,
    );
  if (!where) return undefined;
  return {
    rule: 'rpc-cannot-resolve-class',
    subtype: 'flink-runtime',
    weight: -0.5,
    evidence: `a class missing in ${where[0]}: Flink's RPC deserializes with its own class loader, which does not see the job's or connectors' classes`,
  };
}

export function packagingRules(ev: Evidence): RuleHit[] {
  const internal = connectorInternalLinkage(ev) ?? rpcCannotResolveClass(ev);
  if (internal) return [internal];
  const out = matchFamilies(PACKAGING, ev);
  const parent = lookedUpByParentLoader(ev);
  if (parent) out.push(parent);
  return out;
}
