export { exitCodeFor, worst, type Finding, type Severity } from './severity.js';
export { severityLabel, renderTable, formatBytes, formatDuration, formatPercent } from './output.js';
