/**
 * Where assets live: the two trees, their folders and programs, each in a workspace. The assets family owns them and
 * offers them to the other asset families through the `assetPlaces` port (src/domain/ports.ts), so that a list, an
 * email or a smart campaign can be placed in a folder or a program without importing that family.
 */

/** The two trees every workspace has a root in (its "Zone" folders, `/Marketing Activities/<workspace>`). */
export const TREES = ['Marketing Activities', 'Design Studio'] as const;
export type Tree = (typeof TREES)[number];

export const MARKETING_ACTIVITIES: Tree = 'Marketing Activities';

/** A folder as another asset family needs it: its tree and workspace decide what may go in it, and who sees it. */
export interface AssetFolder {
  id: number;
  /** A workspace's root folder shows its workspace's name (`/Design Studio/Default` is folder "Default"). */
  name: string;
  /** The parent folder; null for a workspace's root folder. */
  parentId: number | null;
  tree: Tree;
  workspaceId: number;
  workspaceName: string;
}

/** A program as a container of other assets. */
export interface AssetProgram {
  id: number;
  name: string;
  workspaceId: number;
  workspaceName: string;
}

export interface AssetPlaces {
  folder(id: number): AssetFolder | undefined;
  program(id: number): AssetProgram | undefined;
  /** Program names are unique in a subscription, without regard to case. */
  programByName(name: string): AssetProgram | undefined;
  /**
   * Every folder by its path in lower case (`/marketing activities/default/webinars`), for a seed that places assets
   * by path: read once per load, not per item.
   */
  folderPaths(): ReadonlyMap<string, AssetFolder>;
}

/** A My Token as a rendered asset fills it in (`{{my.Name}}`). */
export interface AssetToken {
  name: string;
  type: string;
  value: string;
}

/** Where an asset sits, for its tokens: a folder or a program. */
export type AssetPlace = { folderId: number } | { programId: number };

export interface AssetTokens {
  /**
   * The tokens an asset in `place` sees: the program's or folder's own, then those of the folders above it, the
   * nearest of a name winning (as Get Tokens by Folder Id lists them).
   */
  tokensFor(place: AssetPlace): AssetToken[];
}

/** A segment of a segmentation: leads in none of the others are in its "Default" segment (dynamic-content.md). */
export interface AssetSegment {
  id: number;
  name: string;
}

/** A segmentation as dynamic content needs it: its workspace and its segments, Default last. */
export interface AssetSegmentation {
  id: number;
  name: string;
  workspaceId: number;
  segments: readonly AssetSegment[];
}

export interface AssetSegmentations {
  segmentation(id: number): AssetSegmentation | undefined;
}
