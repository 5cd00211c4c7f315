/**
 * The union of human steps and the list of actions, as the API and the workflow have always imported them. Each
 * step is a module of its own under steps/; the registry (steps/index.ts) derives these from the modules.
 */
export { ACTIONS, type Action, type Step, type StepFor } from './steps';
