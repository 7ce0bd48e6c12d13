export * from './lib/geometry/face-geometry';
export * from './lib/embedding/cosine-similarity';
export * from './lib/mouth/mouth-metrics';
export * from './lib/depth-liveness/depth-liveness';
export * from './lib/depth-liveness/depth-liveness-config';
export * from './lib/smile-challenge/smile-challenge';
export { LivenessConfigError } from './lib/liveness-fusion/config-error';
export * from './lib/liveness-fusion/liveness-thresholds';
export * from './lib/liveness-fusion/fuse-liveness';
