/**
 * The Asset API's conventions and the rules of folders, programs and tokens that do not touch the database
 * (marketo-reference.md §2.2, §8; swagger-asset.json).
 */

/** Program types as Marketo shows them in records ("Default", "Event" …; programs.md). */
export const PROGRAM_TYPES = ['Default', 'Event', 'Event with Webinar', 'Engagement', 'Email'] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];

/**
 * What create and seeds accept for each type: the record's name, the spec's lower-case enum (default, event, webinar,
 * nurture) and the names channel and tag records use (program, email_batch).
 */
const PROGRAM_TYPE_ALIASES: Record<string, ProgramType> = {
  default: 'Default',
  program: 'Default',
  event: 'Event',
  'event with webinar': 'Event with Webinar',
  webinar: 'Event with Webinar',
  engagement: 'Engagement',
  nurture: 'Engagement',
  email: 'Email',
  email_batch: 'Email',
};

export function programType(value: string): ProgramType | undefined {
  return PROGRAM_TYPE_ALIASES[value.trim().toLowerCase()];
}

/** A program seen as a folder (GET folder/{id}.json?type=Program): its folderType by program type (spec enum). */
export const PROGRAM_FOLDER_TYPES: Record<ProgramType, string> = {
  Default: 'Marketing Program',
  Event: 'Marketing Event',
  'Event with Webinar': 'Marketing Event',
  Engagement: 'Nurture Program',
  Email: 'Email Batch Program',
};

/** The status a new program starts with: only email and engagement programs have one (ProgramResponse.status). */
export function initialStatus(type: ProgramType): string {
  if (type === 'Email') return 'unlocked';
  if (type === 'Engagement') return 'off';
  return '';
}

/** Token types (CreateTokenRequest.type). */
export const TOKEN_TYPES = ['date', 'number', 'rich text', 'score', 'sfdc campaign', 'text'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** Token names are at most 50 characters (CreateTokenRequest.name). */
export const MAX_TOKEN_NAME = 50;

/** Why a token value does not fit its type, or undefined when it does. */
export function tokenValueProblem(type: TokenType, value: string): string | undefined {
  switch (type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value.trim()) ? undefined : 'a number token takes a number';
    case 'score':
      // Score tokens change a score: "+5", "-3", "=10" or a bare number (the UI's score change).
      return /^[+\-=]?\d+$/.test(value.trim()) ? undefined : 'a score token takes +n, -n, =n or n';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))
        ? undefined
        : 'a date token takes yyyy-mm-dd';
    default:
      return undefined;
  }
}

/** A channel's program member statuses (ChannelResponse.progressionStatuses), in the order channels.md shows them. */
export interface ProgressionStatus {
  name: string;
  step: number;
  description: string | null;
  hidden: boolean;
  success: boolean;
}

/**
 * The type names a channel record carries in `applicableProgramType`: channels.md shows "program" for the channels
 * of Default programs, and tags.md names the others ("[program,email_batch,nurture,event,webinar]").
 */
export const CHANNEL_PROGRAM_TYPES: Record<ProgramType, string> = {
  Default: 'program',
  Event: 'event',
  'Event with Webinar': 'webinar',
  Engagement: 'nurture',
  Email: 'email_batch',
};

/** Every channel's progression starts with "Not in Program" at step 0 (channels.md). */
export const NOT_IN_PROGRAM: ProgressionStatus = {
  name: 'Not in Program',
  step: 0,
  description: null,
  hidden: false,
  success: false,
};

/** A channel's progression as Marketo shows it: "Not in Program" at step 0, then the given statuses. */
export function progressionOf(statuses: readonly ProgressionStatus[]): ProgressionStatus[] {
  return [NOT_IN_PROGRAM, ...statuses.filter((s) => s.name.toLowerCase() !== NOT_IN_PROGRAM.name.toLowerCase())];
}

const status = (step: number, name: string, success = false): ProgressionStatus => ({
  name,
  step,
  description: null,
  hidden: false,
  success,
});

const member = status(10, 'Member');
const engaged = status(20, 'Engaged', true);
/** The progression channels.md shows for "Online Advertising" (an event-like one: invited … attended). */
const attendance = [
  status(10, 'Invited'),
  status(20, 'Registered'),
  status(30, 'No Show'),
  status(40, 'Attended', true),
];

export interface StandardChannel {
  id: number;
  name: string;
  applicableProgramType: ProgramType;
  progressionStatuses: ProgressionStatus[];
}

/**
 * The channels a new subscription has: at least one for each program type. Where channels.md shows a channel
 * ("Blog", "Online Advertising") its progression is Adobe's; the others follow Marketo's defaults (Member, then
 * Engaged as the success; an event's invitation to attendance). Ids 1–8 are the channels of earlier releases, kept.
 */
export const STANDARD_CHANNELS: readonly StandardChannel[] = (
  [
    { id: 1, name: 'Email Blast', applicableProgramType: 'Default', progressionStatuses: [member, engaged] },
    { id: 2, name: 'Online Advertising', applicableProgramType: 'Default', progressionStatuses: attendance },
    { id: 3, name: 'Content', applicableProgramType: 'Default', progressionStatuses: [member, engaged] },
    { id: 4, name: 'Operational', applicableProgramType: 'Default', progressionStatuses: [member] },
    { id: 5, name: 'Tradeshow', applicableProgramType: 'Event', progressionStatuses: attendance },
    {
      id: 6,
      name: 'Webinar',
      applicableProgramType: 'Event with Webinar',
      progressionStatuses: [...attendance, status(50, 'Attended On-demand', true)],
    },
    { id: 7, name: 'Nurture', applicableProgramType: 'Engagement', progressionStatuses: [member, engaged] },
    { id: 8, name: 'Email Send', applicableProgramType: 'Email', progressionStatuses: [member, engaged] },
    {
      id: 9,
      name: 'Blog',
      applicableProgramType: 'Default',
      progressionStatuses: [status(10, 'Invited'), status(20, 'Visited Booth'), status(30, 'Influenced', true)],
    },
    { id: 10, name: 'List Import', applicableProgramType: 'Default', progressionStatuses: [member] },
    { id: 11, name: 'Seminar', applicableProgramType: 'Event', progressionStatuses: attendance },
    { id: 12, name: 'Newsletter', applicableProgramType: 'Email', progressionStatuses: [member, engaged] },
  ] satisfies StandardChannel[]
).map((channel) => ({ ...channel, progressionStatuses: progressionOf(channel.progressionStatuses) }));
