import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deletedResponse, problemResponses } from '../../http/problem.js';
import { idParams } from '../../http/schemas.js';
import { type SubjectReport, seedYaml, serviceReport, userReport } from '../../least-privilege.js';

const tags = ['Admin: Least privilege'];

const permissionKeys = z.array(z.string()).describe('Permission keys (GET /admin/permissions)');

const deniedOperation = z.object({
  operation: z.string().describe('Method and route, e.g. POST /rest/v1/leads.json'),
  service: z.string().describe('The LaunchPoint service that called'),
  missing: permissionKeys.describe('The smallest permissions that would have allowed it'),
  calls: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

const operationUse = z.object({
  operation: z.string(),
  service: z.string(),
  calls: z.number().int(),
  allowedBy: permissionKeys.describe('Of the route’s permissions, those held here: what allowed the calls'),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

const workspaceReport = z.object({
  workspaceId: z.number().int(),
  workspaceName: z.string(),
  held: permissionKeys.describe('Granted here, directly or in all workspaces'),
  needed: permissionKeys.describe('The smallest set, by privilege, that allowed every call counted here'),
  unused: permissionKeys.describe('Held but never needed'),
  denied: z.array(deniedOperation),
  operations: z.array(operationUse),
});

const reportSchema = z
  .object({
    observedCalls: z.number().int(),
    deniedCalls: z.number().int(),
    workspaces: z.array(workspaceReport),
    role: z
      .object({
        name: z.string(),
        description: z.string(),
        roleType: z.literal('user-defined'),
        permissionSets: permissionKeys,
      })
      .describe('A body for POST /admin/roles: what any workspace needed'),
    droppedEntries: z
      .number()
      .int()
      .describe('Ledger entries dropped to stay within LEAST_PRIVILEGE_MAX_BYTES: when not 0, calls are missing'),
  })
  .meta({ id: 'LeastPrivilegeReport' });

const reportQuery = z.object({
  format: z
    .enum(['json', 'seed'])
    .default('json')
    .describe('seed: the report as a YAML seed fragment (roles, and the user holding them per workspace)'),
});

const ledgerSchema = z
  .object({
    entries: z.number().int().describe('One per (API-only user, service, operation)'),
    bytes: z.number().int(),
    maxBytes: z.number().int().describe('LEAST_PRIVILEGE_MAX_BYTES'),
    droppedEntries: z.number().int().describe('Dropped, the oldest first, to stay within maxBytes'),
    droppedCalls: z.number().int().describe('The calls the dropped entries had counted'),
  })
  .meta({ id: 'LeastPrivilegeLedger' });

const REPORT_DESCRIPTION =
  'What the calls observed since the ledger was last cleared (it survives POST /admin/reset) needed, per workspace: ' +
  'the smallest permissions by privilege (Read-Only where only reads happened), those held but never needed, and ' +
  'the calls denied. `role` is a body for POST /admin/roles. With `?format=seed`, `application/yaml`: a fragment ' +
  'to paste into a seed file.';

function answer(reply: FastifyReply, subject: SubjectReport, format: 'json' | 'seed', source: string) {
  const droppedEntries = reply.request.ctx.harness.ledger.status().droppedEntries;
  if (format === 'seed') {
    // YAML text, not the JSON the schema describes.
    return reply
      .type('application/yaml; charset=utf-8')
      .serializer((payload) => payload as string)
      .send(seedYaml(subject, source));
  }
  return reply.send({ ...subject.report, droppedEntries });
}

/** The least-privilege report (issue 31) and its ledger. */
export const leastPrivilegeRoutes: FastifyPluginAsyncZod = async (app) => {
  const reportResponses = {
    200: z.union([reportSchema, z.string().describe('?format=seed: the YAML seed fragment')]),
    ...problemResponses,
  };

  const subjects = [
    {
      path: 'users',
      summary: "The least-privilege report of an API-only user: what their services' calls needed",
      report: userReport,
    },
    {
      path: 'services',
      summary: "The least-privilege report of a LaunchPoint service: what its calls needed of its user's grants",
      report: serviceReport,
    },
  ];
  for (const { path, summary, report } of subjects) {
    app.get(
      `/${path}/:id/least-privilege`,
      {
        schema: {
          tags,
          summary,
          description: REPORT_DESCRIPTION,
          params: idParams,
          querystring: reportQuery,
          response: reportResponses,
        },
      },
      async (request, reply) =>
        answer(
          reply,
          report(request.ctx, request.params.id),
          request.query.format,
          `GET /admin/${path}/${request.params.id}/least-privilege`,
        ),
    );
  }

  app.get(
    '/least-privilege',
    {
      schema: {
        tags,
        summary: 'The ledger behind the reports: its size, and what it dropped to stay within its bytes',
        response: { 200: ledgerSchema, 401: problemResponses[401] },
      },
    },
    async (request) => request.ctx.harness.ledger.status(),
  );

  app.delete(
    '/least-privilege',
    {
      schema: {
        tags,
        summary: 'Clear the ledger (POST /admin/reset keeps it): the reports start again from no call',
        response: { 204: deletedResponse, 401: problemResponses[401] },
      },
    },
    async (request, reply) => {
      request.ctx.harness.ledger.clear();
      return reply.code(204).send(null);
    },
  );
};
