import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { CaseDocumentsService } from '../domain/cases/documents/service.js';
import { CasesError, CasesService } from '../domain/cases/service.js';
import { paymentSettings } from '../domain/payments/settings.js';
import { renderSupplyContract } from '../documents/cases/contract.js';
import { engineDocumentStore } from '../documents/cases/engine-store.js';
import { domainWorker } from './support/domain-job.js';
import type { WorkerContext } from './support/types.js';

/**
 * The official client the workers run on (`ctx.engine`, given by startWorkers): the contract goes into the
 * engine's document store through it.
 */
const clientOf = (ctx: WorkerContext) => (ctx as WorkerContext & { engine?: CamundaClient }).engine;

/**
 * case-prepare-contract (签约供水, before the signing task): renders the supply contract from the case as it
 * stands and keeps it as the case's `contract` document — version n+1 each time the step runs again (a redone
 * step loses nothing). Answers `contractNo` (the number the PDF prints, read-only on the signing form),
 * `contractDocumentId` (the document store's id), `contractVersion` and
 * `contractVersionId` (Aquaflow's, for /api/business-cases/:caseNo/documents/versions/:id). A repeated delivery
 * of the job answers the first result and stores nothing again.
 */
export default (ctx: WorkerContext) =>
  domainWorker(
    'case-prepare-contract',
    {
      service: (knex, c) => {
        const client = clientOf(c);
        if (!client)
          throw new Error('case-prepare-contract needs the engine client in its worker context (ctx.engine)');
        return new CaseDocumentsService(knex, engineDocumentStore(client));
      },
      refusal: CasesError,
      clearsProblem: true,
    },
    async (documents, v, change, job) => {
      const caseNo = String(v.caseNo ?? '');
      const caseView = await new CasesService(ctx.knex).view(caseNo);
      const { utilityName } = await paymentSettings(ctx.knex);
      const kept = await documents.keepGenerated(
        caseView.caseNo,
        { docKey: 'contract', kind: 'contract', title: '供用水合同', step: String(job.elementId) },
        async (version) => ({
          fileName: `${caseView.caseNo}-供用水合同-第${version}版.pdf`,
          bytes: await renderSupplyContract({ caseView, utilityName, version, preparedAt: new Date() }),
        }),
        change,
      );
      return {
        // the number the PDF prints (documents/cases/contract.ts: the case number, HT and the version, two digits)
        contractNo: `${caseView.caseNo}-HT${String(kept.version).padStart(2, '0')}`,
        contractDocumentId: kept.storeDocumentId,
        contractVersion: kept.version,
        contractVersionId: kept.versionId,
      };
    },
  )(ctx);
