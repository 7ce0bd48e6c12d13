export * from './lib/config/risk-rules';
export * from './lib/rules/alert-draft';
export * from './lib/rules/evaluate';
export * from './lib/alert/risk-alert.events';
export * from './lib/alert/risk-alert.decider';
export * from './lib/subject/risk-subject.decider';
