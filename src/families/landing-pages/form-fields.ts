import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { requestIdValue } from '../../domain/record-ids.js';
import { booleanParam, formBody, objectParam, writeParams } from '../../engines/assets/params.js';
import { businessRule, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import { idParams, idResultEnvelope, statusParam, visibleRow, writableRow } from '../../engines/assets/versioned.js';
import type { ObjectField } from '../../engines/objects/fields.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import {
  changeField,
  everyField,
  FIELDSET,
  fieldFor,
  fieldRecord,
  findField,
  type FormField,
  type FormRepository,
  given,
  nextRow,
  RICH_TEXT,
  RULE_OPERATORS,
  type VisibilityRules,
} from './form-model.js';

/**
 * The fields of a form (forms.md "Fields"): read, add (a lead field or a program member custom field), update,
 * delete, visibility rules, fieldsets, rich text and positions. Every change goes in the draft.
 */

export interface FormFieldRoutes {
  tags: string[];
  repo(request: FastifyRequest): FormRepository;
}

export const ruleOperator = z.enum(RULE_OPERATORS);

/** Form field types of forms.md's "Field Types" table (and `text`, `hidden`, which Get Fields for Form shows). */
const FIELD_TYPES = [
  'checkbox',
  'radio',
  'textarea',
  'picklist',
  'string',
  'text',
  'email',
  'date',
  'number',
  'double',
  'phone',
  'url',
  'currency',
  'single_checkbox',
  'range',
  'hidden',
] as const;

const visibilityRuleSchema = z.object({
  subjectField: z.string(),
  operator: z.string(),
  values: z.array(z.string()),
  altLabel: z.string().optional(),
  picklistFilterValues: z
    .array(
      z.object({
        label: z.string().optional(),
        value: z.string().optional(),
        isDefault: z.boolean().optional(),
        selected: z.boolean().optional(),
      }),
    )
    .optional(),
});
const visibilityRulesSchema = z.object({
  ruleType: z.enum(['alwaysShow', 'show', 'hide']),
  rules: z.array(visibilityRuleSchema),
});
const fieldShape = {
  id: z.string(),
  label: z.string(),
  dataType: z.string(),
  rowNumber: z.number().int(),
  columnNumber: z.number().int(),
  required: z.boolean(),
  formPrefill: z.boolean(),
  validationMessage: z.string().optional(),
  maxLength: z.number().int().optional(),
  defaultValue: z.string().optional(),
  hintText: z.string().optional(),
  fieldWidth: z.number().int().optional(),
  labelWidth: z.number().int().optional(),
  instructions: z.string().optional(),
  blankFields: z.number().int().optional(),
  isSensitive: z.boolean().optional(),
  fieldMetaData: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  text: z.string().optional(),
  visibilityRules: visibilityRulesSchema,
};
const fieldSchema = z
  .object({
    ...fieldShape,
    fields: z.array(z.object(fieldShape)).optional().describe('A fieldset’s fields'),
  })
  .meta({ id: 'FormField' });
const fieldsEnvelope = envelopeOf(fieldSchema);
const visibilityEnvelope = envelopeOf(
  z.object({ formFieldId: z.string(), ruleType: z.string(), rules: z.array(visibilityRuleSchema) }),
);

const short = z.string().max(255);
const width = z.coerce.number().int().min(0).max(10000);
/** The properties Add Field and Update Form Field share (AddFormFieldRequest, UpdateFormFieldRequest). */
const propertiesShape = {
  label: short.optional(),
  required: booleanParam.optional(),
  formPrefill: booleanParam.optional(),
  validationMessage: short.optional(),
  maxLength: z.coerce.number().int().min(1).max(32000).optional(),
  defaultValue: short.optional(),
  hintText: short.optional(),
  fieldWidth: width.optional(),
  labelWidth: width.optional(),
  instructions: short.optional(),
  blankFields: z.coerce.number().int().min(0).max(100).optional(),
  isSensitive: booleanParam.optional(),
  fieldType: z.enum(FIELD_TYPES).optional(),
  // Shown in fieldMetaData.
  initiallyChecked: booleanParam.optional(),
  labelToRight: booleanParam.optional(),
  multiSelect: booleanParam.optional(),
  minValue: z.coerce.number().optional(),
  maxValue: z.coerce.number().optional(),
  maskInput: short.optional(),
  visibleLines: z.coerce.number().int().min(1).max(100).optional(),
  values: z.string().max(65536).optional(),
};
const METADATA_KEYS = [
  'initiallyChecked',
  'labelToRight',
  'multiSelect',
  'minValue',
  'maxValue',
  'maskInput',
  'visibleLines',
  'values',
] as const;
const addFieldParams = z.object({ fieldId: z.string().trim().min(1).max(255), ...propertiesShape });
const updateFieldParams = z.object(propertiesShape);
const fieldParams = z.object({ id: requestIdValue, fieldId: z.string().min(1).max(255) });
const visibilityPathParams = z.object({ formId: requestIdValue, fieldId: z.string().min(1).max(255) });
const fieldSetFieldParams = z.object({
  id: requestIdValue,
  fieldSetId: z.string().min(1).max(255),
  fieldId: z.string().min(1).max(255),
});
const visibilityParams = z.object({
  visibilityRule: objectParam(
    z.object({
      ruleType: z.enum(['alwaysShow', 'show', 'hide']),
      rules: z
        .array(
          z.object({
            subjectField: z.string().min(1).max(255),
            operator: ruleOperator,
            values: z
              .array(z.union([z.string(), z.number()]).transform(String))
              .max(100)
              .default([]),
            altLabel: short.optional(),
            pickListValues: z
              .array(
                z.object({
                  label: short.optional(),
                  value: short.optional(),
                  isDefault: z.boolean().optional(),
                  selected: z.boolean().optional(),
                }),
              )
              .max(500)
              .optional(),
          }),
        )
        .max(10)
        .default([]),
    }),
  ).describe('JSON {"ruleType":"show","rules":[{"subjectField":"Country","operator":"is","values":["France"]}]}'),
});
const fieldSetParams = z.object({ label: z.string().trim().min(1).max(255) });
const richTextParams = z.object({
  text: z.string().min(1).max(262144).describe('The HTML (a multipart file part or a form field)'),
});
interface Position {
  fieldName: string;
  rowNumber: number;
  columnNumber: number;
  fieldList?: Position[] | undefined;
}
const position = z.object({
  fieldName: z.string().min(1).max(255),
  rowNumber: z.coerce.number().int().min(0).max(1000),
  columnNumber: z.coerce.number().int().min(0).max(100),
});
const reArrangeParams = z.object({
  positions: objectParam(
    z
      .array(position.extend({ fieldList: z.array(position).max(500).optional() }))
      .min(1)
      .max(500),
  ).describe('JSON [{"fieldName":"Email","rowNumber":0,"columnNumber":0}, …]; `fieldList` places a fieldset’s fields'),
});

/** The properties given, as a field stores them: fieldType is its data type, the rest of metadata apart. */
function propertiesOf(input: z.infer<typeof updateFieldParams>): Partial<FormField> {
  const { fieldType, ...rest } = input;
  const metadata = given(Object.fromEntries(METADATA_KEYS.map((key) => [key, rest[key]])));
  const plain = given(
    Object.fromEntries(Object.entries(rest).filter(([key]) => !METADATA_KEYS.includes(key as never))),
  );
  return {
    ...plain,
    ...(fieldType !== undefined ? { dataType: fieldType } : {}),
    ...(Object.keys(metadata).length > 0
      ? { fieldMetaData: metadata as Record<string, string | number | boolean> }
      : {}),
  } as Partial<FormField>;
}

function withProperties(field: FormField, properties: Partial<FormField>): FormField {
  const metadata = properties.fieldMetaData
    ? { ...field.fieldMetaData, ...properties.fieldMetaData }
    : field.fieldMetaData;
  return { ...field, ...properties, ...(metadata ? { fieldMetaData: metadata } : {}) };
}

/** A field a form can hold: a lead field (not read-only), or a program member custom field. */
function fieldToAdd(request: FastifyRequest, fieldId: string): ObjectField | undefined {
  const lead = request.ctx.port('leads').catalog().find(fieldId);
  if (lead && !lead.readOnly) return lead;
  const wanted = fieldId.toLowerCase();
  return request.ctx
    .findPort('programMemberFields')
    ?.customFields()
    .find((field) => field.name.toLowerCase() === wanted);
}

const fieldNotFound = (fieldId: string, formId: number) =>
  new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Field', `${fieldId} of Form ${formId}`));

/** A new id of the form `<prefix><n>`, free among the form's fields. */
function freeId(fields: readonly FormField[], prefix: string): string {
  const taken = new Set(everyField(fields).map((field) => field.id.toLowerCase()));
  let n = 1;
  while (taken.has(`${prefix}${n}`.toLowerCase())) n++;
  return `${prefix}${n}`;
}

/** A new top-level item's defaults (a fieldset, a rich text block): no label of a lead field. */
function blockField(id: string, dataType: string, rowNumber: number, label: string): FormField {
  return { id, label, dataType, rowNumber, columnNumber: 0, required: false, formPrefill: false };
}

/**
 * Update Field Positions: each position names a field (at the top or in a fieldset) and its row and column; a
 * fieldset's `fieldList` sets which fields it holds (moved out of where they were) and their places. Fields not
 * named keep theirs. Decision (README): every name must be a field of the form (702), a fieldList only on a fieldset
 * and holding no fieldset, and no field named twice (1003).
 */
function rearranged(fields: readonly FormField[], positions: readonly Position[], formId: number): FormField[] {
  const invalid = (message: string) => new MarketoError('1003', `Invalid value for positions: ${message}`);
  const named = [...positions, ...positions.flatMap((p) => p.fieldList ?? [])].map((p) => p.fieldName.toLowerCase());
  const twice = named.find((name, at) => named.indexOf(name) !== at);
  if (twice) throw invalid(`'${twice}' is named twice`);
  for (const p of [...positions, ...positions.flatMap((item) => item.fieldList ?? [])]) {
    if (!findField(fields, p.fieldName)) throw fieldNotFound(p.fieldName, formId);
  }
  // Fields a fieldList names leave where they were, then go in their fieldset.
  const moved = new Map<string, FormField[]>();
  let top = [...fields];
  for (const p of positions) {
    if (!p.fieldList) continue;
    const target = findField(fields, p.fieldName)!;
    if (target.dataType !== FIELDSET) throw invalid(`'${target.id}' is not a fieldset: it takes no fieldList`);
    const members = p.fieldList.map((item) => {
      const member = findField(fields, item.fieldName)!;
      if (member.dataType === FIELDSET) throw invalid(`a fieldset holds no fieldset ('${member.id}')`);
      return { ...member, rowNumber: item.rowNumber, columnNumber: item.columnNumber };
    });
    moved.set(target.id.toLowerCase(), members);
  }
  const movedIds = new Set([...moved.values()].flat().map((field) => field.id.toLowerCase()));
  top = top
    .filter((field) => !movedIds.has(field.id.toLowerCase()))
    .map((field) =>
      field.fields
        ? { ...field, fields: field.fields.filter((inner) => !movedIds.has(inner.id.toLowerCase())) }
        : field,
    );
  for (const [fieldSetId, members] of moved) {
    top = changeField(top, fieldSetId, (fieldSet) => ({ ...fieldSet, fields: members }));
  }
  for (const p of positions) {
    top = changeField(top, p.fieldName, (field) => ({
      ...field,
      rowNumber: p.rowNumber,
      columnNumber: p.columnNumber,
    }));
  }
  const byPlace = (a: FormField, b: FormField) => a.rowNumber - b.rowNumber || a.columnNumber - b.columnNumber;
  return top
    .map((field) => (field.fields ? { ...field, fields: [...field.fields].sort(byPlace) } : field))
    .sort(byPlace);
}

export function formFieldRoutes(instance: FastifyInstance, { tags, repo }: FormFieldRoutes): void {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  /** Changes the draft's fields, made from the approved version when there is none. */
  const editFields = (request: FastifyRequest, formId: number, change: (fields: FormField[]) => FormField[]) =>
    request.ctx.transaction(() =>
      repo(request).machine.edit(formId, ({ fields, content }) => ({
        fields,
        content: { fields: change(content.fields) },
      })),
    );
  const latestFields = (request: FastifyRequest, formId: number) =>
    repo(request).machine.latest(formId)!.content.fields;

  app.get(
    '/rest/asset/v1/form/:id/fields.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Fields for Form',
        description: 'The fields of the version `status` names (else the approved one, else the draft), by row.',
        params: idParams,
        querystring: z.object({ status: statusParam }),
        response: { 200: fieldsEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const row = visibleRow(forms.rows, scopeOf(request), request.params.id);
      const version = row && forms.machine.shown(row.id, request.query.status);
      const fields = version ? [...version.content.fields].sort((a, b) => a.rowNumber - b.rowNumber) : [];
      return assetEnvelope(request.marketoRequestId(), fields.map(fieldRecord));
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/fields.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Field to Form',
        description:
          '`fieldId` (a lead field, as Get Available Form Fields names it, or a program member custom field) and ' +
          'its properties: the next row of the draft. 709 when the form has it already; 702 for a field there is not.',
        params: idParams,
        body: formBody(addFieldParams),
        response: { 200: fieldsEnvelope },
      },
    },
    async (request) => {
      const { fieldId, ...properties } = writeParams(addFieldParams, request);
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const field = fieldToAdd(request, fieldId);
      if (!field) throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Field', fieldId));
      const current = latestFields(request, row.id);
      const added = withProperties(fieldFor(field, nextRow(current)), propertiesOf(properties));
      if (findField(current, added.id))
        throw businessRule(DETAIL_MESSAGES.duplicateSection, added.id, `Form ${row.id}`);
      editFields(request, row.id, (fields) => [...fields, added]);
      return assetEnvelope(request.marketoRequestId(), [fieldRecord(added)]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/field/:fieldId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Form Field',
        description: 'The properties given, of one field of the draft (in a fieldset too); `fieldType` its type.',
        params: fieldParams,
        body: formBody(updateFieldParams),
        response: { 200: fieldsEnvelope },
      },
    },
    async (request) => {
      const properties = propertiesOf(writeParams(updateFieldParams, request));
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const current = findField(latestFields(request, row.id), request.params.fieldId);
      if (!current) throw fieldNotFound(request.params.fieldId, row.id);
      if ((current.dataType === FIELDSET || current.dataType === RICH_TEXT) && properties.dataType !== undefined) {
        throw new MarketoError('1003', `Invalid value for fieldType: '${current.id}' is a ${current.dataType}`);
      }
      const updated = withProperties(current, properties);
      editFields(request, row.id, (fields) => changeField(fields, current.id, () => updated));
      return assetEnvelope(request.marketoRequestId(), [fieldRecord(updated)]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/field/:fieldId/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Form Field',
        description:
          'The field goes from the draft (a fieldset with its fields); visibility and thank-you rules that name ' +
          'it go with it.',
        params: fieldParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const current = findField(latestFields(request, row.id), request.params.fieldId);
      if (!current) throw fieldNotFound(request.params.fieldId, row.id);
      removeFields(request, repo(request), row.id, current);
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:formId/field/:fieldId/visibility.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Form Field Visibility Rules',
        description:
          '`visibilityRule`: `ruleType` (alwaysShow, show, hide) and up to 10 `rules`, each on another field of ' +
          'the form; they replace the field’s rules in the draft. `alwaysShow` takes no rules, show and hide one at least.',
        params: visibilityPathParams,
        body: formBody(visibilityParams),
        response: { 200: visibilityEnvelope },
      },
    },
    async (request) => {
      const { visibilityRule } = writeParams(visibilityParams, request);
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.formId);
      const fields = latestFields(request, row.id);
      const target = findField(fields, request.params.fieldId);
      if (!target) throw fieldNotFound(request.params.fieldId, row.id);
      const invalid = (message: string) => new MarketoError('1003', `Invalid value for visibilityRule: ${message}`);
      if (visibilityRule.ruleType === 'alwaysShow' && visibilityRule.rules.length > 0) {
        throw invalid('alwaysShow takes no rules');
      }
      if (visibilityRule.ruleType !== 'alwaysShow' && visibilityRule.rules.length === 0) {
        throw invalid(`${visibilityRule.ruleType} needs at least one rule`);
      }
      const rules: VisibilityRules = {
        ruleType: visibilityRule.ruleType,
        rules: visibilityRule.rules.map((rule) => {
          const subject = findField(fields, rule.subjectField);
          if (!subject || subject.id === target.id) {
            throw invalid(`the rules must name another field of the form, not '${rule.subjectField}'`);
          }
          return {
            subjectField: subject.id,
            operator: rule.operator,
            values: rule.values,
            ...given({ altLabel: rule.altLabel, picklistFilterValues: rule.pickListValues }),
          };
        }),
      };
      editFields(request, row.id, (current) =>
        changeField(current, target.id, (field) => ({ ...field, visibilityRules: rules })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ formFieldId: target.id, ...rules }]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/fieldSet.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Fieldset to Form',
        description: '`label`: an empty fieldset in the next row of the draft (Update Field Positions fills it).',
        params: idParams,
        body: formBody(fieldSetParams),
        response: { 200: fieldsEnvelope },
      },
    },
    async (request) => {
      const { label } = writeParams(fieldSetParams, request);
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const current = latestFields(request, row.id);
      const added = { ...blockField(freeId(current, 'fieldset_'), FIELDSET, nextRow(current), label), fields: [] };
      editFields(request, row.id, (fields) => [...fields, added]);
      return assetEnvelope(request.marketoRequestId(), [fieldRecord(added)]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/fieldSet/:fieldSetId/field/:fieldId/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Field from Fieldset',
        description: 'The field goes from the fieldset, and so from the draft of the form.',
        params: fieldSetFieldParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const fieldSet = findField(latestFields(request, row.id), request.params.fieldSetId);
      if (!fieldSet || fieldSet.dataType !== FIELDSET) throw fieldNotFound(request.params.fieldSetId, row.id);
      const wanted = request.params.fieldId.toLowerCase();
      const member = fieldSet.fields?.find((field) => field.id.toLowerCase() === wanted);
      if (!member) throw fieldNotFound(`${request.params.fieldId} in ${fieldSet.id}`, row.id);
      removeFields(request, repo(request), row.id, member);
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/reArrange.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Field Positions',
        description:
          '`positions`: the row and column of each field named; a fieldset’s `fieldList` sets the fields it holds.',
        params: idParams,
        body: formBody(reArrangeParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const { positions } = writeParams(reArrangeParams, request);
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const next = rearranged(latestFields(request, row.id), positions, row.id);
      editFields(request, row.id, () => next);
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/richText.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Add Rich Text Field',
        description:
          '`text` (multipart/form-data, or a form field): a rich text block in the next row of the draft, its ' +
          'HTML kept byte for byte; its id `HtmlText_<time>` as Forms 2.0 names rich text.',
        params: idParams,
        body: formBody(richTextParams),
        response: { 200: fieldsEnvelope },
      },
    },
    async (request) => {
      const { text } = writeParams(richTextParams, request);
      const row = writableRow(repo(request).rows, scopeOf(request), request.params.id);
      const current = latestFields(request, row.id);
      const taken = new Set(everyField(current).map((field) => field.id));
      let at = request.ctx.clock.now();
      // A frozen clock gives every block the same time: the next millisecond free.
      while (taken.has(`HtmlText_${new Date(at).toISOString()}`)) at++;
      const added = { ...blockField(`HtmlText_${new Date(at).toISOString()}`, RICH_TEXT, nextRow(current), ''), text };
      editFields(request, row.id, (fields) => [...fields, added]);
      return assetEnvelope(request.marketoRequestId(), [fieldRecord(added)]);
    },
  );
}

/**
 * A field (or fieldset) leaves the draft, and the rules that name it: visibility rules on other fields (a rule set
 * left empty is alwaysShow again) and thank-you rules (Decision, README).
 */
function removeFields(request: FastifyRequest, forms: FormRepository, formId: number, removed: FormField): void {
  const gone = new Set([removed, ...(removed.fields ?? [])].map((field) => field.id));
  const keepRules = (field: FormField): FormField => {
    if (!field.visibilityRules) return field;
    const rules = field.visibilityRules.rules.filter((rule) => !gone.has(rule.subjectField));
    return rules.length === 0
      ? { ...field, visibilityRules: undefined }
      : { ...field, visibilityRules: { ...field.visibilityRules, rules } };
  };
  request.ctx.transaction(() =>
    forms.machine.edit(formId, ({ fields, content }) => ({
      fields: {
        ...fields,
        thankYouList: fields.thankYouList.filter((rule) => rule.default || !gone.has(rule.subjectField ?? '')),
      },
      content: {
        fields: changeField(content.fields, removed.id, () => null).map((field) =>
          keepRules(field.fields ? { ...field, fields: field.fields.map(keepRules) } : field),
        ),
      },
    })),
  );
}
