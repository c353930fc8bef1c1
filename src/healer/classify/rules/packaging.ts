/**
 * Bad packaging and dependency conflicts (user): a class or method the job needs is missing or
 * comes from two class loaders. Flink ships its runtime; everything else is in the job jar, so a
 * missing class after a deploy is the deploy's fault — even when the missing class is a Flink one
 * (a connector not bundled, a jar built against another Flink version).
 */
import { type Evidence, type PatternFamily, matchFamilies } from './evidence.js';
import type { RuleHit } from '../types.js';

export const PACKAGING: readonly PatternFamily[] = [
  {
    rule: 'missing-or-conflicting-class',
    subtype: 'bad-packaging',
    weight: 0.9,
    exception:
      /(?:^|\.)(?:ClassNotFoundException|NoClassDefFoundError|NoSuchMethodError|NoSuchFieldError|AbstractMethodError|IncompatibleClassChangeError|IllegalAccessError|LinkageError|UnsupportedClassVersionError|VerifyError|ServiceConfigurationError|ClassFormatError)$/,
    message:
      /Cannot load user class|Could not find any factory for identifier|Could not find a suitable table factory|No (?:Executor|Planner)Factory found|Could not instantiate the executor|(?:is|are) in unnamed module of loader|loader constraint violation|Could not initialize class|Unsupported callback type|java\.lang\.(?:ClassNotFoundException|NoClassDefFoundError|NoSuchMethodError)|has been compiled by a more recent version of the Java Runtime|jar hell|(?:^|\s)class ([\w$.]+) cannot be cast to class \1 /,
  },
  {
    rule: 'user-class-static-init-failed',
    subtype: 'bad-packaging',
    weight: 0.6,
    exception: /(?:^|\.)ExceptionInInitializerError$/,
  },
];

/** Packaging rules. */
export function packagingRules(ev: Evidence): RuleHit[] {
  return matchFamilies(PACKAGING, ev);
}
