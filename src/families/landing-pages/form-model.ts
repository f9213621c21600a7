import type { Clock } from '../../clock.js';
import { ApprovalMachine, type AssetKind } from '../../engines/assets/approval.js';
import { AssetRows } from '../../engines/assets/asset-rows.js';
import { SqliteVersionStore } from '../../engines/assets/version-store.js';
import type { PlacementRule } from '../../engines/assets/versioned.js';
import type { FieldDataType, ObjectField } from '../../engines/objects/fields.js';
import type { Database } from '../../storage/database.js';
import { FORM } from './repositories.js';

/**
 * Forms (forms.md) on the approval machine: a version holds the form's settings (theme, button, known visitor,
 * thank-you rules: small, read by browse) and its content, the fields in rows. A field is a lead field (or a program
 * member custom field), a rich text block, or a fieldset holding fields; each may carry visibility rules.
 */

export const FORM_PLACES: PlacementRule = { what: 'Forms', programs: true, trees: ['Design Studio'] };

/** The operators of VisibilityRuleRequest (swagger-asset.json), which thank-you rules use as well. */
export const RULE_OPERATORS = [
  'is',
  'isNot',
  'isEmpty',
  'isNotEmpty',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'contains',
  'notContains',
  'greaterThan',
  'lessThan',
  'atLeast',
  'atMost',
  'between',
  'notBetween',
  'notInTimeFrame',
  'inPast',
  'notInPast',
  'after',
  'before',
  'inTimeFrame',
  'onOrAfter',
  'onOrBefore',
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export interface PickListValue {
  label?: string | undefined;
  value?: string | undefined;
  isDefault?: boolean | undefined;
  selected?: boolean | undefined;
}

export interface VisibilityRule {
  subjectField: string;
  operator: RuleOperator;
  values: string[];
  altLabel?: string | undefined;
  picklistFilterValues?: PickListValue[] | undefined;
}

export interface VisibilityRules {
  ruleType: 'alwaysShow' | 'show' | 'hide';
  rules: VisibilityRule[];
}

export interface FormField {
  id: string;
  label: string;
  /** A lead field's form type (Field Types of forms.md), `htmltext` for rich text, `fieldset` for a fieldset. */
  dataType: string;
  rowNumber: number;
  columnNumber: number;
  required: boolean;
  formPrefill: boolean;
  validationMessage?: string | undefined;
  maxLength?: number | undefined;
  defaultValue?: string | undefined;
  hintText?: string | undefined;
  fieldWidth?: number | undefined;
  labelWidth?: number | undefined;
  instructions?: string | undefined;
  blankFields?: number | undefined;
  isSensitive?: boolean | undefined;
  /** The properties of AddFormFieldRequest a form shows as metadata: initiallyChecked, values, minValue, … */
  fieldMetaData?: Record<string, string | number | boolean> | undefined;
  /** A rich text block's HTML. */
  text?: string | undefined;
  /** A fieldset's fields (a fieldset holds no fieldset). */
  fields?: FormField[] | undefined;
  visibilityRules?: VisibilityRules | undefined;
}

export const FIELDSET = 'fieldset';
export const RICH_TEXT = 'htmltext';

export interface ThankYouRule {
  followupType: 'url' | 'lp' | 'none';
  /** A URL (url), a landing page id (lp), null (none). */
  followupValue: string | number | null;
  default: boolean;
  operator?: RuleOperator | undefined;
  subjectField?: string | undefined;
  values?: string[] | undefined;
}

export interface FormFields {
  theme: string;
  language: string;
  locale: string;
  progressiveProfiling: boolean;
  labelPosition: string;
  fontFamily: string;
  fontSize: string;
  buttonLocation: number;
  buttonLabel: string;
  waitingLabel: string;
  buttonStyle: string;
  customCss: string;
  knownVisitor: { type: 'form' | 'custom'; template: string | null };
  thankYouList: ThankYouRule[];
}

export interface FormContent {
  fields: FormField[];
}

/** The settings of a new form, as forms.md's example of a new form shows them. */
export const DEFAULT_FORM: FormFields = {
  theme: 'simple',
  language: 'English',
  locale: 'en_US',
  progressiveProfiling: false,
  labelPosition: 'left',
  fontFamily: 'Helvetica',
  fontSize: '13px',
  buttonLocation: 120,
  buttonLabel: 'Submit',
  waitingLabel: 'Please Wait',
  buttonStyle: 'simple',
  customCss: '',
  knownVisitor: { type: 'form', template: null },
  thankYouList: [{ followupType: 'none', followupValue: null, default: true }],
};

/** Decision (README): a form is approved when it has at least one field a visitor fills in. */
export const formKind: AssetKind<FormFields, FormContent> = {
  type: FORM,
  approvalProblems: ({ content }) =>
    everyField(content.fields).some((field) => field.dataType !== FIELDSET && field.dataType !== RICH_TEXT)
      ? []
      : ['it has no fields'],
  uses: () => [],
};

export class FormRepository {
  readonly rows: AssetRows<Record<string, never>, FormFields>;
  readonly machine: ApprovalMachine<FormFields, FormContent>;

  constructor(db: Database, clock: Clock) {
    this.rows = new AssetRows(db, clock, 'forms', FORM);
    this.machine = new ApprovalMachine(formKind, new SqliteVersionStore(db), clock);
  }
}

// Fields ------------------------------------------------------------------------------------------------------------

/** Every field of a form, those in fieldsets included. */
export function everyField(fields: readonly FormField[]): FormField[] {
  return fields.flatMap((field) => [field, ...(field.fields ?? [])]);
}

/** A field by id (any case), at the top or in a fieldset. */
export function findField(fields: readonly FormField[], id: string): FormField | undefined {
  const wanted = id.toLowerCase();
  return everyField(fields).find((field) => field.id.toLowerCase() === wanted);
}

/** The fields with one changed (by the same id, at the top or in a fieldset), or removed when `change` answers null. */
export function changeField(
  fields: readonly FormField[],
  id: string,
  change: (field: FormField) => FormField | null,
): FormField[] {
  const wanted = id.toLowerCase();
  const walk = (list: readonly FormField[]): FormField[] =>
    list.flatMap((field) => {
      const changed = field.id.toLowerCase() === wanted ? change(field) : field;
      if (changed === null) return [];
      return [changed.fields ? { ...changed, fields: walk(changed.fields) } : changed];
    });
  return walk(fields);
}

/** The row after the last one at the top of the form. */
export const nextRow = (fields: readonly FormField[]) =>
  fields.reduce((max, field) => Math.max(max, field.rowNumber + 1), 0);

/** A lead field as a form names it: its REST name with a capital (`firstName` → `FirstName`, forms.md). */
export const formFieldId = (field: ObjectField) => field.name.charAt(0).toUpperCase() + field.name.slice(1);

/** Get Available Form Fields' data types (forms.md "Field Types"): the lead field's, as forms name them. */
const FORM_DATA_TYPES: Partial<Record<FieldDataType, string>> = {
  text: 'textarea',
  integer: 'number',
  float: 'double',
  boolean: 'single_checkbox',
  datetime: 'date',
};
export const formDataType = (field: ObjectField) => FORM_DATA_TYPES[field.dataType] ?? field.dataType;

/** A lead field as a new form field: its label from the display name, a text box for a string. */
export function fieldFor(field: ObjectField, rowNumber: number): FormField {
  return {
    id: formFieldId(field),
    label: `${field.displayName}:`,
    // Forms show a lead's string fields as "text" (forms.md: Get Fields for Form).
    dataType: field.dataType === 'string' ? 'text' : formDataType(field),
    rowNumber,
    columnNumber: 0,
    required: false,
    formPrefill: true,
    validationMessage: 'This field is required.',
    ...(field.length !== undefined ? { maxLength: field.length } : {}),
  };
}

/** The record Get Fields for Form shows of a field: visibility `alwaysShow` when it has no rules. */
export function fieldRecord(field: FormField): FormFieldRecord {
  const { fields, visibilityRules, ...rest } = field;
  return {
    ...rest,
    ...(fields ? { fields: fields.map(fieldRecord) } : {}),
    visibilityRules: visibilityRules ?? { ruleType: 'alwaysShow', rules: [] },
  };
}

export type FormFieldRecord = Omit<FormField, 'fields' | 'visibilityRules'> & {
  fields?: FormFieldRecord[];
  visibilityRules: VisibilityRules;
};

/** Without the keys whose value is undefined (a write's absent parameters). */
export function given<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
