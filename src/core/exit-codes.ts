/**
 * Exit codes (docs/design.md §5).
 *
 * Health and monitor commands use the monitoring-plugin convention (Nagios/Icinga):
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Failures of the tool itself use sysexits(3).
 */
export const Health = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;

/** sysexits(3) codes for failures of streamctl itself. */
export const Sysexit = {
  /** EX_USAGE: the command was used incorrectly (bad flags, missing arguments). */
  USAGE: 64,
  /** EX_DATAERR: input data was incorrect (snapshot, plan, scenario, API response). */
  DATAERR: 65,
  /** EX_UNAVAILABLE: a service we depend on is unavailable. */
  UNAVAILABLE: 69,
  /** EX_SOFTWARE: an internal error in streamctl (a bug). */
  SOFTWARE: 70,
  /** EX_CANTCREAT: an output file could not be created (full disk, no permission). */
  CANTCREAT: 73,
  /** EX_TEMPFAIL: temporary failure or timeout; retrying later may work. */
  TEMPFAIL: 75,
  /** EX_NOPERM: permission denied (IAM, SASL, ACL). */
  NOPERM: 77,
  /** EX_CONFIG: configuration error. */
  CONFIG: 78,
} as const;

export type SysexitCode = (typeof Sysexit)[keyof typeof Sysexit];

/** Exits that are neither health verdicts nor sysexits (README "Exit codes"). */
export const Outcome = {
  /** Done as asked. */
  OK: 0,
  /** The operator declined a confirmation prompt: nothing was done. */
  DECLINED: 1,
  /** `kafka rebalance status`: an execution is unfinished (running, interrupted or failed). */
  UNFINISHED: 1,
  /**
   * The command ran, but what it checks did not hold: `healer simulate` (a scenario's expectations
   * did not match), `demo` (the heal was not verified, or the views disagree).
   */
  NOT_MET: 1,
  /** A second SIGINT/SIGTERM stopped the process at once (128 + SIGINT, the shell convention). */
  INTERRUPTED: 130,
} as const;
