import { ACTIVITY, type NewActivity } from '../../domain/activity-log.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import {
  NOT_IN_PROGRAM_STATUS,
  type ProgramMembership,
  type ProgramStatus,
  type StatusChange,
  type StatusOutcome,
} from '../../domain/program-members.js';
import type { ProgramMemberRepository } from './member-repository.js';

/**
 * The rules of a member's status, in one place (issue 26; README "Program members"):
 * - a status is one of the program's channel progression (channels.md), named without regard to case; "Not in
 *   Program" is no status a member holds (Delete Program Members takes a lead out);
 * - a status moves forward only: a status of a lower step than the member's is skipped with 1003 (Workato's Change
 *   lead program status: "must be a later step than the current one, otherwise the status is not changed");
 * - the same status again changes nothing and writes nothing;
 * - reachedSuccess, once reached, stays (a later status of no success does not take it back);
 * - each change writes Change Status in Progression (104), old status → new ("Not in Program" for a new member).
 */

/** The progression's status of that name, or undefined (not a status of the channel, or "Not in Program"). */
export function statusOf(progression: readonly ProgramStatus[], name: string): ProgramStatus | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === NOT_IN_PROGRAM_STATUS.toLowerCase()) return undefined;
  return progression.find((status) => status.name.toLowerCase() === wanted);
}

/** The status a whole call asks for (Sync Program Member Status, Push Lead): response-level 1003 when not one. */
export function requireStatus(progression: readonly ProgramStatus[], name: string, programId: number): ProgramStatus {
  const status = statusOf(progression, name);
  if (!status) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.unknownProgramStatus, name, programId));
  return status;
}

/** Sets a member's status by these rules; `at`: when it happens (a bulk import step's time), else the clock's now. */
export function changeStatus(
  members: ProgramMemberRepository,
  change: StatusChange,
  record: (activity: NewActivity) => void,
  at?: number,
): StatusOutcome {
  const target = statusOf(change.progression, change.statusName);
  if (!target) {
    return {
      outcome: 'skipped',
      code: '1003',
      message: formatMessage(DETAIL_MESSAGES.unknownProgramStatus, change.statusName, change.program.id),
    };
  }
  const member = members.find(change.program.id, change.lead.id);
  if (member && member.statusName === target.name) return { outcome: 'unchanged' };
  if (member && target.step < member.statusStep) {
    return {
      outcome: 'skipped',
      code: '1003',
      message: formatMessage(DETAIL_MESSAGES.statusBackwards, target.name, member.statusName),
    };
  }
  const now = at ?? members.now();
  const reachedNow = target.success && !(member?.reachedSuccess ?? false);
  const next = {
    programId: change.program.id,
    leadId: change.lead.id,
    statusName: target.name,
    statusStep: target.step,
    statusReason: change.reason ?? member?.statusReason ?? null,
    reachedSuccess: (member?.reachedSuccess ?? false) || target.success,
    reachedSuccessAt: reachedNow ? now : (member?.reachedSuccessAt ?? null),
    acquiredBy: member?.acquiredBy ?? change.campaignId !== undefined,
    customFields: member?.customFields ?? {},
    membershipDate: member?.membershipDate ?? now,
    createdAt: member?.createdAt ?? now,
    updatedAt: now,
  };
  if (member) members.update(next, now);
  else members.insert(next);
  const activity = progressionActivity(
    change,
    member?.statusName ?? NOT_IN_PROGRAM_STATUS,
    target.name,
    target.success,
    change.reason,
    change.source,
  );
  record(at !== undefined ? { ...activity, activityDate: at } : activity);
  return { outcome: 'changed' };
}

/**
 * The lead a member of the program (a new member starts at the first status after "Not in Program", as Sync Program
 * Member Data makes one), with these custom field values over its own.
 */
export function joinProgram(
  members: ProgramMemberRepository,
  change: Parameters<ProgramMembership['join']>[0],
  record: (activity: NewActivity) => void,
): 'created' | 'updated' {
  const { program, progression, lead } = change;
  let member = members.find(program.id, lead.id);
  const created = !member;
  if (!member) {
    const first = progression[1] ?? progression[0]!;
    changeStatus(
      members,
      {
        program,
        progression,
        lead,
        statusName: first.name,
        ...(change.reason !== undefined ? { reason: change.reason } : {}),
      },
      record,
    );
    member = members.find(program.id, lead.id)!;
  }
  members.update({ ...member, customFields: { ...member.customFields, ...change.customFields } });
  return created ? 'created' : 'updated';
}

/** Change Status in Progression (104): primary attribute the program, Old Status and New Status (activities.md). */
export function progressionActivity(
  change: Pick<StatusChange, 'program' | 'lead' | 'campaignId'>,
  oldStatus: string,
  newStatus: string,
  success: boolean,
  reason: string | undefined,
  source?: string,
): NewActivity {
  return {
    leadId: change.lead.id,
    partitionId: change.lead.partitionId,
    typeId: ACTIVITY.changeStatusInProgression,
    primaryAttributeValueId: change.program.id,
    primaryAttributeValue: change.program.name,
    attributes: [
      { name: 'Old Status', value: oldStatus },
      { name: 'New Status', value: newStatus },
      { name: 'Success', value: success },
      ...(reason !== undefined ? [{ name: 'Reason', value: reason }] : []),
      ...(source !== undefined ? [{ name: 'Source', value: source }] : []),
    ],
    ...(change.campaignId !== undefined ? { campaignId: change.campaignId } : {}),
  };
}
