/**
 * The Asset API's conventions and the rules of folders, programs and tokens that do not touch the database
 * (marketo-reference.md §2.2, §8; swagger-asset.json).
 */

/** Program types as Marketo shows them in records ("Default", "Event" …; programs.md). */
export const PROGRAM_TYPES = ['Default', 'Event', 'Event with Webinar', 'Engagement', 'Email'] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];

/** What create accepts for each type: the record's name and the spec's lower-case enum (default, event, webinar, nurture). */
const PROGRAM_TYPE_ALIASES: Record<string, ProgramType> = {
  default: 'Default',
  program: 'Default',
  event: 'Event',
  'event with webinar': 'Event with Webinar',
  webinar: 'Event with Webinar',
  engagement: 'Engagement',
  nurture: 'Engagement',
  email: 'Email',
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

/** A channel's program member statuses (ChannelResponse.progressionStatuses). */
export interface ProgressionStatus {
  name: string;
  step: number;
  success: boolean;
  hidden: boolean;
  description: string | null;
}

const status = (step: number, name: string, success = false): ProgressionStatus => ({
  name,
  step,
  success,
  hidden: false,
  description: null,
});

/** The channels a new subscription has (Marketo's defaults, one per program type at least). */
export const STANDARD_CHANNELS: readonly {
  id: number;
  name: string;
  applicableProgramType: ProgramType;
  progressionStatuses: ProgressionStatus[];
}[] = [
  {
    id: 1,
    name: 'Email Blast',
    applicableProgramType: 'Default',
    progressionStatuses: [status(10, 'Member'), status(20, 'Engaged', true)],
  },
  {
    id: 2,
    name: 'Online Advertising',
    applicableProgramType: 'Default',
    progressionStatuses: [status(10, 'Member'), status(20, 'Engaged', true)],
  },
  {
    id: 3,
    name: 'Content',
    applicableProgramType: 'Default',
    progressionStatuses: [status(10, 'Member'), status(20, 'Engaged', true)],
  },
  {
    id: 4,
    name: 'Operational',
    applicableProgramType: 'Default',
    progressionStatuses: [status(10, 'Member')],
  },
  {
    id: 5,
    name: 'Tradeshow',
    applicableProgramType: 'Event',
    progressionStatuses: [status(10, 'Not in Program'), status(20, 'Registered'), status(30, 'Attended', true)],
  },
  {
    id: 6,
    name: 'Webinar',
    applicableProgramType: 'Event with Webinar',
    progressionStatuses: [status(10, 'Invited'), status(20, 'Registered'), status(30, 'Attended', true)],
  },
  {
    id: 7,
    name: 'Nurture',
    applicableProgramType: 'Engagement',
    progressionStatuses: [status(10, 'Member'), status(20, 'Engaged', true)],
  },
  {
    id: 8,
    name: 'Email Send',
    applicableProgramType: 'Email',
    progressionStatuses: [status(10, 'Member'), status(20, 'Engaged', true)],
  },
];
