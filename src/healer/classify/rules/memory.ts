/**
 * Resource exhaustion inside the JVM. Heap, GC-overhead, Metaspace and thread exhaustion are
 * code-driven (state kept in memory, leaks, class-loader leaks across restarts, thread leaks):
 * user. Direct-memory OOMs and container memory-limit kills are configuration/sizing with a
 * weaker lean. Host-level native allocation failures and JVM crashes are system (cluster.ts).
 */

import type { RuleHit } from '../types.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const MEMORY: readonly PatternFamily[] = [
  {
    rule: 'heap-or-metaspace-exhausted',
    subtype: 'user-oom',
    weight: 0.75,
    message:
      /OutOfMemoryError: (?:Java heap space|GC overhead limit exceeded|Metaspace|Requested array size exceeds VM limit|unable to create (?:new )?native thread)|(?:Java heap space|GC overhead limit exceeded|Metaspace)\b.{0,40}(?:OutOfMemory|out-of-memory)/i,
    exception: /^(?:java\.lang\.)?OutOfMemoryError$/,
    unless:
      /Direct buffer memory|Cannot allocate memory \(errno=12\)|insufficient memory for the Java Runtime/i,
  },
  {
    rule: 'direct-memory-exhausted',
    subtype: 'user-oom',
    weight: 0.35,
    message: /Direct buffer memory|OutOfDirectMemoryError|failed to allocate \d+ byte\(s\) of direct memory/i,
  },
  {
    rule: 'stack-overflow-in-job',
    subtype: 'user-code-error',
    weight: 0.6,
    exception: /(?:^|\.)StackOverflowError$/,
  },
  {
    rule: 'memory-limit-kill',
    subtype: 'user-oom',
    weight: 0.3,
    message:
      /beyond the ['"]?(?:physical|virtual)['"]? memory limit|beyond (?:physical|virtual) memory limits|OOMKilled|exceeded (?:its|the) memory limit/i,
  },
];

/** Memory rules. */
export function memoryRules(ev: Evidence): RuleHit[] {
  return matchFamilies(MEMORY, ev);
}
