import type { NewActivity } from './activity-log.js';
import type { RecordCode } from './marketo-codes.js';

/**
 * Program membership as the other families change it (the `programMembers` port, src/ports.ts): Push Lead (leads)
 * and a campaign flow's Change Program Status step (campaigns) set a lead's status in a program; the program members
 * family owns the members and serves their API.
 */

/** A status of a program's channel (channels.md progressionStatuses): the statuses a member may hold. */
export interface ProgramStatus {
  name: string;
  step: number;
  success: boolean;
}

/** The first status of every channel's progression; a member never holds it (it is the absence of membership). */
export const NOT_IN_PROGRAM_STATUS = 'Not in Program';

export interface StatusChange {
  program: { id: number; name: string };
  /** The program's channel progression (the assetPlaces port's `progressionOf`). */
  progression: readonly ProgramStatus[];
  lead: { id: number; partitionId: number };
  statusName: string;
  /** Change Status in Progression's Reason attribute (Push Lead's `reason`, a flow step's campaign). */
  reason?: string;
  /** Its Source attribute (Push Lead's `source`). */
  source?: string;
  /** The campaign whose flow made the change (the activity's campaignId). */
  campaignId?: number | null;
}

/** What a change did: the member's status changed, was already that, or the change was refused (a record reason). */
export type StatusOutcome =
  { outcome: 'changed' | 'unchanged' } | { outcome: 'skipped'; code: RecordCode; message: string };

export interface ProgramMembership {
  /**
   * Sets the lead's status in the program (making it a member at that status when it was not one), within the
   * caller's transaction; the Change Status in Progression activity (104) it writes goes to `record`.
   */
  changeStatus(change: StatusChange, record: (activity: NewActivity) => void): StatusOutcome;
  /** Whether the lead is a member of the program. */
  isMember(programId: number, leadId: number): boolean;
  /**
   * Makes the lead a member of the program at the first status after "Not in Program" when it is not one (its
   * Change Status in Progression activity, 104, to `record`), and sets the member's custom fields (values already
   * coerced to their fields' types), within the caller's transaction: Sync Program Member Data, Submit Form.
   */
  join(
    change: Pick<StatusChange, 'program' | 'progression' | 'lead' | 'reason'> & {
      customFields: Readonly<Record<string, string | number | boolean | null>>;
    },
    record: (activity: NewActivity) => void,
  ): 'created' | 'updated';
}
