import type { ActivityRecorder } from '../families/activities/activity-log.js';

/**
 * What one resource family offers the others without their importing it. A family that provides a port declares it
 * (`provides` in src/family.ts); a family that uses one asks `ctx.port(name)` at request time, so neither module
 * imports the other and the registry's order stays free of cycles.
 */

/** A static list as the other families need it (the activity log's `listId` filter). */
export interface StaticListMembers {
  /** The list's workspace, or undefined when there is no such list. */
  workspaceOf(listId: number): number | undefined;
  /** How many leads are in the list. */
  count(listId: number): number;
  /** Its members' lead ids. */
  leadIds(listId: number): number[];
}

export interface Ports {
  /** The activity log (the activities family): where every write records its activities. */
  activityLog: ActivityRecorder;
  /** Static lists and their members (the lists family). */
  staticLists: StaticListMembers;
}

export type PortName = keyof Ports;
