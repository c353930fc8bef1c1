export { formatBytes, formatDuration, formatPercent, renderTable, severityLabel } from './output.js';
export { exitCodeFor, type Finding, type Severity, worst } from './severity.js';
