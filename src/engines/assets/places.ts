import type { ProgramStatus } from '../../domain/program-members.js';

/**
 * Where assets live: the two trees, their folders and programs, each in a workspace. The assets family owns them and
 * offers them to the other asset families through the `assetPlaces` port (src/domain/ports.ts), so that a list, an
 * email or a smart campaign can be placed in a folder or a program without importing that family.
 */

/**
 * The two trees: each has a root folder (`/Marketing Activities`), and every workspace a zone below it
 * (`/Marketing Activities/<workspace>`).
 */
export const TREES = ['Marketing Activities', 'Design Studio'] as const;
export type Tree = (typeof TREES)[number];

export const MARKETING_ACTIVITIES: Tree = 'Marketing Activities';

/** A folder as another asset family needs it: its tree and workspace decide what may go in it, and who sees it. */
export interface AssetFolder {
  id: number;
  /** A workspace's zone shows its workspace's name (`/Design Studio/Default` is folder "Default"). */
  name: string;
  tree: Tree;
  workspaceId: number;
  workspaceName: string;
  /**
   * `/Marketing Activities` or `/Design Studio` itself: above every workspace, it holds only the workspaces' zones
   * (no assets).
   */
  treeRoot: boolean;
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
  /** The program's channel progression, "Not in Program" first (channels.md); undefined when there is no program. */
  progressionOf(programId: number): ProgramStatus[] | undefined;
  /** The program's My Tokens by name (`{{my.name}}`), for a campaign in it. */
  tokensOf(programId: number): ReadonlyMap<string, string>;
}

/**
 * What Get Folder Contents (`folder/{id}/content.json`) calls the assets other families keep in folders and
 * programs, by their table: the asset names of Adobe's spec ("Static List", as its Static Lists operations name
 * it). An asset family whose table references a folder or a program adds its line here; one without a line is left
 * out of the contents.
 */
export const FOLDER_CONTENT_TYPES: Readonly<Record<string, string>> = {
  static_lists: 'Static List',
  // folders.md lists the Design Studio folder types: Email, Email Template, Landing Page, Snippet, File …
  emails: 'Email',
  email_templates: 'Email Template',
  snippets: 'Snippet',
  fragments: 'Fragment',
  landing_page_templates: 'Landing Page Template',
  landing_pages: 'Landing Page',
  forms: 'Form',
  files: 'File',
};

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

/** A form as Submit Form (`/rest/v1/leads/submitForm.json`) needs it: where it is and the fields it has. */
export interface FormForSubmission {
  id: number;
  name: string;
  workspaceId: number;
  programId: number | null;
  /** The form's field ids (`FirstName`, `Email`: lead fields' REST names with a capital), fieldsets' included. */
  fieldIds: string[];
}

/** The forms family's forms, for Submit Form. */
export interface AssetForms {
  /** The form's shown version (approved, else the draft), or undefined when there is no such form. */
  submission(formId: number): FormForSubmission | undefined;
}

/** A landing page as a redirect rule names it (landing-page-redirect-rules.md): where its address points. */
export interface LandingPageAddress {
  id: number;
  name: string;
  workspaceId: number;
  /** The page's URL path without `.html`, from its shown version (approved, else the draft). */
  urlPageName: string;
}

/** The landing pages family's pages, for redirect rules. */
export interface AssetLandingPages {
  /** The page, or undefined when there is no such page. */
  page(id: number): LandingPageAddress | undefined;
}
