// Public API of the LRFR reproduction: Multi-Resolution Augmentation, LogExp metric candidates,
// training variants and cross-resolution verification.
export { METRIC_KINDS, DEFAULT_LOGEXP, metricLoss, metricPerSample, type MetricKind, type MetricOptions } from './metric.js';
export { MRA_LEVELS, DEFAULT_MRA, sampleResolution, degradeTo, applyMra, type MraOptions, type ResolutionLevel } from './mra.js';
export { lrfrBatchLoss, trainLrfr, degradeSet, crossResolutionVerification, type LrfrVariant, type CrossResolutionResult } from './train.js';
