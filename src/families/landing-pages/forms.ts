import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { seedId } from '../../domain/record-ids.js';
import type { VersionStatus } from '../../engines/assets/approval.js';
import { assetDescription, assetName, assetUrl, seedTime } from '../../engines/assets/asset-records.js';
import type { AssetRow } from '../../engines/assets/asset-rows.js';
import {
  booleanParam,
  folderRef,
  formBody,
  objectParam,
  pagingShape,
  writeParams,
} from '../../engines/assets/params.js';
import { canSee, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import { placeSeed } from '../../engines/assets/seed-places.js';
import { versionedSeed } from '../../engines/assets/versioned-seed.js';
import {
  cloneDraft,
  folderValue,
  idParams,
  insertDraft,
  placeFor,
  registerApprovalRoutes,
  registerBrowse,
  registerGetById,
  registerGetByName,
  renameAsset,
  statusParam,
  versionedRecordShape,
  visibleRow,
  writableRow,
} from '../../engines/assets/versioned.js';
import type { ObjectField } from '../../engines/objects/fields.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { type FormFieldRoutes, formFieldRoutes, ruleOperator } from './form-fields.js';
import {
  DEFAULT_FORM,
  everyField,
  fieldFor,
  findField,
  FORM_PLACES,
  type FormContent,
  formDataType,
  formFieldId,
  type FormField,
  type FormFields,
  FormRepository,
  given,
  type ThankYouRule,
} from './form-model.js';
import { landingPages } from './landing-pages.js';
import { LANDING_PAGE } from './repositories.js';

/**
 * Forms (forms.md) on the approval machine: their settings, thank-you rules and fields are versioned; a landing
 * page's Form section uses one, so a page is approved only when its forms are, and a form an approved page uses is
 * not unapproved. The field routes are in form-fields.ts.
 */

const tags = ['Marketo: Forms'];

/** "A new form includes three default fields: First Name, Last Name, and Email" (forms.md). */
function defaultFields(request: FastifyRequest): FormField[] {
  const catalog = request.ctx.port('leads').catalog();
  return ['firstName', 'lastName', 'email']
    .map((name) => catalog.find(name))
    .filter((field): field is ObjectField => field !== undefined)
    .map((field, at) => fieldFor(field, at));
}

const knownVisitorSchema = z.object({ type: z.enum(['form', 'custom']), template: z.string().nullable() });
const thankYouSchema = z.object({
  followupType: z.enum(['url', 'lp', 'none']),
  followupValue: z.union([z.string(), z.number().int()]).nullable(),
  default: z.boolean(),
  operator: z.string().optional(),
  subjectField: z.string().optional(),
  values: z.array(z.string()).optional(),
});
const formSchema = z
  .object({
    ...versionedRecordShape,
    theme: z.string(),
    language: z.string(),
    locale: z.string(),
    progressiveProfiling: z.boolean(),
    labelPosition: z.string(),
    fontFamily: z.string(),
    fontSize: z.string(),
    knownVisitor: knownVisitorSchema,
    thankYouList: z.array(thankYouSchema),
    buttonLocation: z.number().int(),
    buttonLabel: z.string(),
    waitingLabel: z.string(),
    buttonStyle: z.string(),
    customCss: z.string(),
  })
  .meta({ id: 'Form' });
const formEnvelope = envelopeOf(formSchema);
const catalogEnvelope = envelopeOf(
  z.object({
    id: z.string(),
    isRequired: z.boolean(),
    dataType: z.string(),
    maxLength: z.number().int().optional(),
    description: z.string().optional(),
  }),
);
const usedByEnvelope = envelopeOf(
  z.object({
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    status: z.enum(['approved', 'draft']),
    updatedAt: z.string(),
  }),
);
const thankYouEnvelope = envelopeOf(z.object({ id: z.number().int(), thankYouList: z.array(thankYouSchema) }));

const short = z.string().max(255);
const knownVisitorParam = objectParam(
  z
    .object({ type: z.enum(['form', 'custom']), template: z.string().max(65536).nullish() })
    .refine((value) => value.type === 'form' || (value.template ?? '') !== '', {
      message: 'a custom known-visitor behaviour needs its template (HTML)',
    }),
).describe('JSON {"type":"form"} or {"type":"custom","template":"<p>Hi {{lead.First Name}}</p>"}');
const settingsShape = {
  theme: short.optional(),
  /** marketorestpython's update_form sends the theme as `formTheme`. */
  formTheme: short.optional(),
  language: short.optional(),
  locale: short.optional(),
  progressiveProfiling: booleanParam.optional(),
  labelPosition: z.enum(['left', 'above']).optional(),
  fontFamily: short.optional(),
  fontSize: short.optional(),
  knownVisitor: knownVisitorParam.optional(),
};
const createParams = z.object({
  name: assetName,
  folder: folderRef,
  description: assetDescription.optional(),
  ...settingsShape,
});
const updateParams = z.object({
  name: assetName.optional(),
  description: assetDescription.optional(),
  ...settingsShape,
  customCss: z.string().max(65536).optional(),
  /** marketorestpython's update_form sends `customcss`. */
  customcss: z.string().max(65536).optional(),
});
const cloneParams = z.object({ name: assetName, folder: folderRef, description: assetDescription.optional() });
const pagingQuery = z.object({ ...pagingShape });
const statusQuery = z.object({ status: statusParam });
const submitButtonParams = z.object({
  buttonPosition: z.coerce.number().int().min(0).max(10000).optional(),
  buttonStyle: short.optional(),
  label: short.optional(),
  waitingLabel: short.optional(),
});
const thankYouRuleParam = z
  .object({
    followupType: z.enum(['url', 'lp', 'none']),
    followupValue: z.union([z.string(), z.number()]).nullish(),
    default: booleanParam.optional(),
    operator: ruleOperator.optional(),
    subjectField: z.string().min(1).max(255).optional(),
    values: z
      .array(z.union([z.string(), z.number()]).transform(String))
      .max(100)
      .optional(),
  })
  .strict();
const thankYouParams = z.object({
  thankyou: objectParam(z.array(thankYouRuleParam).min(1).max(25)).describe(
    'JSON array of followup rules: [{"followupType":"url","followupValue":"https://…","default":true}, …]',
  ),
});

type Row = AssetRow<Record<string, never>>;

function formRecord(pod: string, row: Row, version: { status: VersionStatus; fields: FormFields; updatedAt: number }) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    url: `${assetUrl(pod, 'FO', row.id)}B2`,
    folder: folderValue(row),
    status: version.status,
    workspace: row.workspaceName,
    ...version.fields,
  };
}

/**
 * The thank-you rules a write gives, checked (Decision, README): exactly one default; a url a web address; an lp
 * a landing page the caller can read; a rule that is not the default names a field of the form and an operator.
 */
function checkedThankYou(
  request: FastifyRequest,
  rules: z.infer<typeof thankYouRuleParam>[],
  fields: readonly FormField[],
): ThankYouRule[] {
  const invalid = (message: string) => new MarketoError('1003', `Invalid value for thankyou: ${message}`);
  if (rules.filter((rule) => rule.default === true).length !== 1) throw invalid('exactly one rule is the default');
  const pages = request.ctx.repo(landingPages);
  const scope = scopeOf(request);
  return rules.map((rule, at): ThankYouRule => {
    const isDefault = rule.default === true;
    let followupValue: string | number | null = null;
    if (rule.followupType === 'url') {
      const url = String(rule.followupValue ?? '');
      if (!/^https?:\/\/\S+$/i.test(url)) throw invalid(`rule ${at}: followupValue must be an http(s) URL`);
      followupValue = url;
    } else if (rule.followupType === 'lp') {
      const id = Number(rule.followupValue);
      const page = Number.isSafeInteger(id) ? visibleRow(pages.rows, scope, id) : undefined;
      if (!page)
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.assetNotFound, LANDING_PAGE, String(rule.followupValue)),
        );
      followupValue = page.id;
    }
    if (isDefault) return { followupType: rule.followupType, followupValue, default: true };
    if (rule.operator === undefined || rule.subjectField === undefined) {
      throw invalid(`rule ${at}: a rule that is not the default needs subjectField and operator`);
    }
    const subject = findField(fields, rule.subjectField);
    if (!subject) throw invalid(`rule ${at}: the form has no field '${rule.subjectField}'`);
    return {
      followupType: rule.followupType,
      followupValue,
      default: false,
      operator: rule.operator,
      subjectField: subject.id,
      values: rule.values ?? [],
    };
  });
}

const formRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<FormRepository>> = async (app, { repo }) => {
  const shownRecord = (request: FastifyRequest, row: Row | undefined, status?: VersionStatus) => {
    const version = row && repo(request).machine.shown(row.id, status);
    return version ? [formRecord(request.ctx.config.POD, row!, version)] : [];
  };
  const shared: FormFieldRoutes = { tags, repo };

  registerBrowse(app, {
    path: 'forms',
    tags,
    summary: 'Get Forms',
    envelope: formEnvelope,
    rows: (request) => repo(request).rows,
    record: (request, row) => formRecord(request.ctx.config.POD, row, { ...row, updatedAt: row.versionUpdatedAt }),
  });
  registerGetByName(app, {
    path: 'form',
    tags,
    summary: 'Get Form by Name',
    envelope: formEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.get(
    '/rest/asset/v1/form/fields.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Available Form Fields',
        description: 'The lead fields a form can hold, by their form ids (the lead schema, custom fields included).',
        querystring: pagingQuery,
        response: { 200: catalogEnvelope },
      },
    },
    async (request) => {
      const { offset, maxReturn } = request.query;
      const fields = request.ctx
        .port('leads')
        .catalog()
        .fields.filter((field) => !field.readOnly);
      return assetEnvelope(
        request.marketoRequestId(),
        fields.slice(offset, offset + maxReturn).map((field) => ({
          id: formFieldId(field),
          isRequired: false,
          dataType: formDataType(field),
          ...(field.length !== undefined ? { maxLength: field.length } : {}),
        })),
      );
    },
  );

  app.get(
    '/rest/asset/v1/form/programMemberFields.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Available Form Program Member Fields',
        description:
          'The program member custom fields a form can hold (Create Program Member Fields makes them), by their ' +
          'names; "No assets found" while there are none.',
        querystring: pagingQuery,
        response: { 200: catalogEnvelope },
      },
    },
    async (request) => {
      const { offset, maxReturn } = request.query;
      const fields = request.ctx.findPort('programMemberFields')?.customFields() ?? [];
      return assetEnvelope(
        request.marketoRequestId(),
        fields.slice(offset, offset + maxReturn).map((field) => ({
          id: field.name,
          isRequired: false,
          dataType: formDataType(field),
          ...(field.length !== undefined ? { maxLength: field.length } : {}),
          description: field.displayName,
        })),
      );
    },
  );

  registerGetById(app, {
    path: 'form',
    tags,
    summary: 'Get Form By Id',
    envelope: formEnvelope,
    rows: (request) => repo(request).rows,
    records: shownRecord,
  });

  app.post(
    '/rest/asset/v1/forms.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Form',
        description: '`name`, `folder` and the settings: a draft with First Name, Last Name and Email (forms.md).',
        body: formBody(createParams),
        response: { 200: formEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const { name, folder, description, formTheme, knownVisitor, ...settings } = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), folder, FORM_PLACES);
      const id = insertDraft(
        request,
        forms,
        { name, description: description ?? '', place },
        {
          fields: {
            ...DEFAULT_FORM,
            ...given({ ...settings, theme: settings.theme ?? formTheme }),
            ...(knownVisitor
              ? { knownVisitor: { type: knownVisitor.type, template: knownVisitor.template ?? null } }
              : {}),
          },
          content: { fields: defaultFields(request) },
        },
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, forms.rows.find(id)));
    },
  );

  app.post(
    '/rest/asset/v1/form/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Form Metadata',
        description: '`name` and `description` are the asset’s (no draft); the settings go in the draft.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: formEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const { name, description, formTheme, customcss, knownVisitor, ...settings } = writeParams(updateParams, request);
      const row = writableRow(forms.rows, scopeOf(request), request.params.id);
      const changed: Partial<FormFields> = {
        ...given({ ...settings, theme: settings.theme ?? formTheme, customCss: settings.customCss ?? customcss }),
        ...(knownVisitor ? { knownVisitor: { type: knownVisitor.type, template: knownVisitor.template ?? null } } : {}),
      };
      request.ctx.transaction(() => {
        renameAsset(forms.rows, row, { name, description });
        if (Object.keys(changed).length > 0) {
          forms.machine.edit(row.id, ({ fields, content }) => ({ fields: { ...fields, ...changed }, content }));
        }
      });
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, forms.rows.find(row.id)));
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/submitButton.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Submit Button',
        description: '`buttonPosition` (pixels from the left), `buttonStyle`, `label`, `waitingLabel`, in the draft.',
        params: idParams,
        body: formBody(submitButtonParams),
        response: { 200: formEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const { buttonPosition, buttonStyle, label, waitingLabel } = writeParams(submitButtonParams, request);
      const row = writableRow(forms.rows, scopeOf(request), request.params.id);
      const changed = given({ buttonLocation: buttonPosition, buttonStyle, buttonLabel: label, waitingLabel });
      request.ctx.transaction(() =>
        forms.machine.edit(row.id, ({ fields, content }) => ({ fields: { ...fields, ...changed }, content })),
      );
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, forms.rows.find(row.id), 'draft'));
    },
  );

  app.get(
    '/rest/asset/v1/form/:id/thankYouPage.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Thank You Page by Form Id',
        params: idParams,
        querystring: statusQuery,
        response: { 200: thankYouEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const row = visibleRow(forms.rows, scopeOf(request), request.params.id);
      const version = row && forms.machine.shown(row.id, request.query.status);
      return assetEnvelope(
        request.marketoRequestId(),
        version ? [{ id: row!.id, thankYouList: version.fields.thankYouList }] : [],
      );
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/thankYouPage.json',
    {
      // swagger-asset.json: "Required Permissions: Read-Only Assets, Read-Write Assets"; the form's workspace must
      // still be one where the caller writes (603).
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Update Thank You Page',
        description:
          '`thankyou`: the followup rules, replacing those of the draft ("destructive", swagger-asset.json). ' +
          'Exactly one is the default; `url` needs an http(s) URL, `lp` a landing page id.',
        params: idParams,
        body: formBody(thankYouParams),
        response: { 200: thankYouEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      // The workspace first: the gate let in readers, as Adobe's spec names Read-Only Assets for this write.
      const row = writableRow(forms.rows, scopeOf(request), request.params.id);
      const { thankyou } = writeParams(thankYouParams, request);
      const rules = checkedThankYou(request, thankyou, forms.machine.latest(row.id)!.content.fields);
      const draft = request.ctx.transaction(() =>
        forms.machine.edit(row.id, ({ fields, content }) => ({ fields: { ...fields, thankYouList: rules }, content })),
      );
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id, thankYouList: draft.fields.thankYouList }]);
    },
  );

  formFieldRoutes(app, shared);

  app.get(
    '/rest/asset/v1/form/:id/usedBy.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Form Used By',
        description: 'The landing pages whose sections hold the form (any of their versions), by id.',
        params: idParams,
        querystring: pagingQuery,
        response: { 200: usedByEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const scope = scopeOf(request);
      const form = visibleRow(forms.rows, scope, request.params.id);
      if (!form) return assetEnvelope(request.marketoRequestId(), []);
      const pages = request.ctx.repo(landingPages);
      const { offset, maxReturn } = request.query;
      const users = forms.machine
        .usedBy(form.id)
        .filter((use) => use.user.type === LANDING_PAGE)
        .map((use) => pages.rows.find(use.user.id))
        .filter((row): row is Row => row !== undefined && canSee(scope, row.workspaceId))
        .sort((a, b) => a.id - b.id);
      return assetEnvelope(
        request.marketoRequestId(),
        users.slice(offset, offset + maxReturn).map((row) => {
          const version = pages.machine.shown(row.id)!;
          return {
            id: row.id,
            name: row.name,
            type: LANDING_PAGE,
            status: version.status,
            updatedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
          };
        }),
      );
    },
  );

  app.post(
    '/rest/asset/v1/form/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Form',
        description: '`name`, `folder`, `description`: the approved version, else the draft, as a new draft.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: formEnvelope },
      },
    },
    async (request) => {
      const forms = repo(request);
      const input = writeParams(cloneParams, request);
      const id = cloneDraft(request, forms, FORM_PLACES, request.params.id, input);
      return assetEnvelope(request.marketoRequestId(), shownRecord(request, forms.rows.find(id)));
    },
  );

  registerApprovalRoutes(app, {
    path: 'form',
    tags,
    label: 'Form',
    // swagger-asset.json has no Unapprove Form: an approved form stays approved (and so is not deleted).
    unapprove: false,
    rows: (request) => repo(request).rows,
    machine: (request) => repo(request).machine,
    answer: { schema: formSchema, record: (request, id) => shownRecord(request, repo(request).rows.find(id))[0] },
  });
};

// Seed --------------------------------------------------------------------------------------------------------------

const visibilitySeed = z.strictObject({
  ruleType: z.enum(['alwaysShow', 'show', 'hide']),
  rules: z.array(
    z.strictObject({
      subjectField: z.string().min(1),
      operator: ruleOperator,
      values: z.array(z.string()),
      altLabel: z.string().optional(),
    }),
  ),
});
const fieldShape = {
  id: z.string().min(1),
  label: z.string(),
  dataType: z.string().min(1),
  rowNumber: z.number().int().min(0),
  columnNumber: z.number().int().min(0),
  required: z.boolean(),
  formPrefill: z.boolean(),
  validationMessage: z.string().optional(),
  maxLength: z.number().int().optional(),
  defaultValue: z.string().optional(),
  hintText: z.string().optional(),
  fieldWidth: z.number().int().optional(),
  labelWidth: z.number().int().optional(),
  instructions: z.string().optional(),
  text: z.string().optional(),
  visibilityRules: visibilitySeed.optional(),
};
const fieldSeed = z.strictObject({
  ...fieldShape,
  fields: z.array(z.strictObject(fieldShape)).optional().describe('A fieldset’s fields'),
});
const versionSeed = z.strictObject({
  settings: z
    .strictObject({
      theme: z.string().optional(),
      language: z.string().optional(),
      locale: z.string().optional(),
      progressiveProfiling: z.boolean().optional(),
      labelPosition: z.string().optional(),
      fontFamily: z.string().optional(),
      fontSize: z.string().optional(),
      buttonLocation: z.number().int().optional(),
      buttonLabel: z.string().optional(),
      waitingLabel: z.string().optional(),
      buttonStyle: z.string().optional(),
      customCss: z.string().optional(),
      knownVisitor: z.strictObject({ type: z.enum(['form', 'custom']), template: z.string().nullable() }).optional(),
      thankYouList: z
        .array(
          z.strictObject({
            followupType: z.enum(['url', 'lp', 'none']),
            followupValue: z.union([z.string(), z.number().int()]).nullable(),
            default: z.boolean(),
            operator: ruleOperator.optional(),
            subjectField: z.string().optional(),
            values: z.array(z.string()).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  fields: z.array(fieldSeed).describe('The form’s fields, as Get Fields for Form shows them'),
  createdAt: seedTime,
  updatedAt: seedTime,
});
const formSeed = z.strictObject({
  id: seedId.optional(),
  name: assetName,
  description: assetDescription.optional(),
  ...placeSeed,
  createdAt: seedTime,
  updatedAt: seedTime,
  approved: versionSeed.optional(),
  draft: versionSeed.optional(),
});
type FormSeed = z.infer<typeof formSeed>;

const formSeedPart = versionedSeed<FormSeed, z.infer<typeof versionSeed>, FormFields, FormContent>({
  places: FORM_PLACES,
  noun: 'a form',
  version: (seed, { status, path, context }) => {
    const ids = everyField(seed.fields as FormField[]).map((field) => field.id.toLowerCase());
    const twice = ids.find((fieldId, at) => ids.indexOf(fieldId) !== at);
    if (twice) context.fail(`${path}.${status}.fields`, `the field '${twice}' is on the form twice`);
    return {
      fields: { ...DEFAULT_FORM, ...given(seed.settings ?? {}) } as FormFields,
      content: { fields: seed.fields as FormField[] },
    };
  },
  seedOf: ({ fields, content }) => ({ settings: fields, fields: content.fields }),
});

/** Forms: fields from the lead schema and settings, each version approved or a draft. */
export const forms = defineFamily({
  key: 'forms',
  tables: ['forms'],
  wireFormat: 'asset',
  repository: ({ db, clock }) => new FormRepository(db, clock),
  provides: (repo) => ({
    forms: {
      submission(id) {
        const row = repo.rows.find(id);
        const version = row && repo.machine.shown(row.id);
        if (!row || !version) return undefined;
        return {
          id: row.id,
          name: row.name,
          workspaceId: row.workspaceId,
          programId: row.programId,
          fieldIds: everyField(version.content.fields).map((field) => field.id),
        };
      },
    },
  }),
  seed: {
    item: formSeed as z.ZodType<FormSeed>,
    load: formSeedPart.load,
    snapshot: formSeedPart.snapshot,
    example: [
      {
        id: 740,
        name: 'Sign up',
        folder: '/Design Studio/Contract',
        approved: {
          settings: { buttonLabel: 'Join' },
          fields: [
            {
              id: 'Email',
              label: 'Email Address:',
              dataType: 'email',
              rowNumber: 0,
              columnNumber: 0,
              required: true,
              formPrefill: true,
            },
          ],
        },
      },
    ],
  },
  marketoRoutes: formRoutes,
});
