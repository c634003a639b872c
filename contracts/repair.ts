// Repair service (M8) as /api/repair answers it: tickets, work orders, the call centre's account context and the
// report. Declared by domain/repair (views.ts, tickets.ts, stats.ts), read by the web app.

/** A ticket in lists and histories. */
export interface TicketSummary {
  ticketId: number;
  ticketNo: string;
  accountNo: string | null;
  customerName: string | null;
  supplyAddress: string;
  category: string;
  urgency: string;
  status: string;
  accountClosed: boolean;
  crew: string | null;
  createdAt: string;
  dispatchDueAt: string;
  fieldDueAt: string;
  completedAt: string | null;
  processInstanceKey: string | null;
}

/**
 * What the call-centre agent sees at once for an account: the supply address, the meters, and the service history
 * (earlier tickets of the account or of its premise, newest first).
 */
export interface AccountContext {
  accountNo: string;
  status: string;
  customerName: string;
  phones: string[];
  supplyAddress: string;
  meters: Array<{ serial: string; kind: string; status: string; caliberMm: number }>;
  history: TicketSummary[];
}

/** An open ticket of the same account or premise: shown to the agent, never a refusal. */
export interface DuplicateWarning {
  code: 'duplicate';
  ticketNo: string;
  status: string;
  matchedBy: 'account' | 'premise';
  message: string;
}

export interface CreatedTicket {
  ticketId: number;
  ticketNo: string;
  accountNo: string | null;
  supplyAddress: string;
  category: string;
  urgency: string;
  accountClosed: boolean;
  dispatchDueAt: string;
  fieldDueAt: string;
  /** Open tickets of the same account or premise: shown to the agent, never a refusal. */
  warnings: DuplicateWarning[];
}

/** What POST /api/repair/tickets answers: the ticket and the repair-ticket process started for it. */
export interface LoggedCall extends CreatedTicket {
  processInstanceKey: string | null;
}

export interface Material {
  name: string;
  quantity: string;
  unit: string;
}

/** Everything about one ticket: the call, every work order with its prints, the field result, the call-backs. */
export interface TicketView extends TicketSummary {
  description: string;
  contactName: string;
  contactPhone: string;
  duplicateOf: string[];
  createdBy: string;
  closedAt: string | null;
  closeReason: string | null;
  meters: string[];
  workOrders: Array<{
    workOrderId: number;
    crew: string;
    assignedBy: string;
    assignedAt: string | null;
    instructions: string;
    status: string;
    arrivedAt: string | null;
    completedAt: string | null;
    prints: Array<{ printedBy: string; printedAt: string | null; reason: string }>;
    photos: Array<{ id: number; fileName: string; contentType: string; sizeBytes: number }>;
  }>;
  results: Array<{
    workOrderId: number;
    arrivedAt: string | null;
    result: string;
    resolved: boolean;
    recordedBy: string;
    recordedAt: string | null;
    materials: Material[];
  }>;
  callbacks: Array<{
    attempt: number;
    reached: boolean;
    satisfaction: number | null;
    notes: string;
    calledBy: string;
    calledAt: string | null;
  }>;
  escalations: Array<{ step: string; escalatedAt: string | null }>;
}

/** A work order on the crew's list (GET /api/repair/work-orders/mine). */
export interface FieldOrder {
  workOrderId: number;
  status: string;
  arrivedAt: string | null;
  assignedAt: string | null;
  instructions: string;
  ticketNo: string;
  category: string;
  urgency: string;
  supplyAddress: string;
  description: string;
  contactName: string;
  contactPhone: string;
  fieldDueAt: string | null;
}

/** Tickets by category and status, satisfaction from the call-backs, and per crew, over a period. */
export interface TicketStatistics {
  byCategoryStatus: Array<{ category: string; status: string; count: number }>;
  satisfaction: {
    calls: number;
    reached: number;
    scored: number;
    mean: number | null;
    byScore: Array<{ score: number; count: number }>;
  };
  perCrew: Array<{
    crew: string;
    workOrders: number;
    completed: number;
    meanHours: number | null;
    satisfaction: number | null;
  }>;
}

/** Time per step of repair-ticket over many instances: count, mean and longest of the completed steps. */
export interface StepTime {
  step: string;
  count: number;
  meanMs: number | null;
  maxMs: number | null;
}

/** The repair report (GET /api/repair/statistics). */
export interface RepairStatistics extends TicketStatistics {
  steps: StepTime[];
}
