import type { DecisionDefinitionRow, DecisionProblem } from '../../../contracts/decisions';
import { api } from './http';

export type { DecisionDefinitionRow, DecisionProblem };

export interface DeployedDecision {
  decisionDefinitionId: string;
  version: number;
  decisionDefinitionKey: string;
}

const k = (key: string) => encodeURIComponent(key);

/** The modeler's DMN side: deployed decisions, a .dmn's XML, the check while editing and deployment. */
export const decisionsApi = {
  list: () => api<{ items: DecisionDefinitionRow[] }>('GET', '/api/decisions'),
  xml: async (decisionRequirementsKey: string) => {
    const res = await fetch(`/api/decisions/requirements/${k(decisionRequirementsKey)}/xml`, {
      credentials: 'same-origin',
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  },
  check: (xml: string) => api<{ problems: DecisionProblem[] }>('POST', '/api/decisions/check', { xml }),
  deploy: (name: string, xml: string) =>
    api<{ decisions: DeployedDecision[] }>('POST', '/api/decisions/deployments', { name, xml }),
};
