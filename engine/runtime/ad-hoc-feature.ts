import type { EngineFeature } from './feature.js';
import { adHocInnerInstanceBehavior, adHocSubProcessBehavior } from '../elements/containers/ad-hoc-sub-process.js';
import { adHocActivityRoutes } from '../http/routes/ad-hoc-activities.js';

/**
 * Ad-hoc sub-processes (Camunda 8.8): the element kind, the inner instance each activated element runs
 * in, and the activation API. Job results of kind AD_HOC_SUB_PROCESS reach commands/ad-hoc-activities.ts
 * through the job completion (commands/jobs.ts).
 */
export const adHocSubProcessFeature: EngineFeature = {
  name: 'ad-hoc sub-process',
  behaviors: () => [
    ['AD_HOC_SUB_PROCESS', adHocSubProcessBehavior],
    ['AD_HOC_SUB_PROCESS_INNER_INSTANCE', adHocInnerInstanceBehavior],
  ],
  routes: [adHocActivityRoutes],
};
