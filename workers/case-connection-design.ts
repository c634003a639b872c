import { CasesError } from '../domain/cases/service.js';
import { ConnectionService } from '../domain/cases/connection/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * case-connection-design: the design tasks' fields (budget 预算 in yuan, its lines, the material requisition 领料,
 * the drawings) → a design version with the budget in fen, which the approval level is decided on.
 */
export default domainWorker(
  'case-connection-design',
  { service: (knex) => new ConnectionService(knex), refusal: CasesError, clearsProblem: true },
  async (service, v, change) => {
    const design = await service.recordDesign(
      String(v.caseNo),
      {
        budgetYuan: v.budgetYuan,
        budgetLines: Array.isArray(v.budgetLines) ? v.budgetLines : [],
        materials: Array.isArray(v.materials) ? v.materials : [],
        drawingsNote: given(v.drawingsNote) ?? '',
      },
      change,
    );
    return { budgetFen: design.budgetFen, designVersion: design.version };
  },
);
