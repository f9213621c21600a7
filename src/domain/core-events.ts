/**
 * What happens to the core's workspaces and partitions, told to the resource families that keep rows per workspace
 * or partition (the asset family's root folders). Handlers run inside the transaction of the change: a handler that
 * throws undoes it. `…Deleting` runs before the row goes and before the delete guard counts what still uses it, so
 * a family can remove the rows it created for that workspace. `leadMerging` runs in a merge's transaction before the
 * losing lead is deleted, so a family can move what the loser holds (list memberships) to the winner.
 * `programCloned` runs in Clone Program's transaction once the clone exists, so a family copies the assets it keeps
 * in the source program into the clone (static lists); a handler that throws a MarketoError refuses the clone.
 */
export interface CoreEventHandlers {
  workspaceCreated?(workspace: { id: number; name: string }): void;
  workspaceDeleting?(workspaceId: number): void;
  partitionCreated?(partition: { id: number; name: string }): void;
  partitionDeleting?(partitionId: number): void;
  leadMerging?(loserId: number, winnerId: number): void;
  programCloned?(clone: ClonedProgram): void;
}

/** A program just cloned: its source, and the clone (the asset families' place for their copies). */
export interface ClonedProgram {
  sourceId: number;
  cloneId: number;
  cloneName: string;
  workspaceId: number;
}

export class CoreEvents {
  private readonly handlers: CoreEventHandlers[] = [];

  subscribe(handlers: CoreEventHandlers): void {
    this.handlers.push(handlers);
  }

  workspaceCreated(workspace: { id: number; name: string }): void {
    for (const handler of this.handlers) handler.workspaceCreated?.(workspace);
  }

  workspaceDeleting(workspaceId: number): void {
    for (const handler of this.handlers) handler.workspaceDeleting?.(workspaceId);
  }

  partitionCreated(partition: { id: number; name: string }): void {
    for (const handler of this.handlers) handler.partitionCreated?.(partition);
  }

  partitionDeleting(partitionId: number): void {
    for (const handler of this.handlers) handler.partitionDeleting?.(partitionId);
  }

  leadMerging(loserId: number, winnerId: number): void {
    for (const handler of this.handlers) handler.leadMerging?.(loserId, winnerId);
  }

  programCloned(clone: ClonedProgram): void {
    for (const handler of this.handlers) handler.programCloned?.(clone);
  }
}
