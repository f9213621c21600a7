/** The part of node-marketo-rest (CommonJS, untyped) that the tests use; see node_modules/node-marketo-rest/lib. */
declare module 'node-marketo-rest' {
  import { EventEmitter } from 'node:events';

  namespace Marketo {
    interface Options {
      /** The REST base, e.g. https://123-ABC-456.mktorest.com/rest */
      endpoint: string;
      /** The identity base, e.g. https://123-ABC-456.mktorest.com/identity */
      identity: string;
      clientId: string;
      clientSecret: string;
      partnerId?: string;
      timeout?: number;
      /** lib/retry.js: exponential backoff; 0 means "the default", not "none". */
      retry?: { maxRetries?: number; initialDelay?: number; maxDelay?: number };
    }

    interface TokenData {
      access_token: string;
      token_type?: string;
      expires_in?: number;
      scope?: string;
    }

    interface MarketoErrorItem {
      code: string;
      message: string;
    }

    interface Response<T = Record<string, unknown>> {
      requestId: string;
      success: boolean;
      result?: T[];
      errors?: MarketoErrorItem[];
      warnings?: string[];
      nextPageToken?: string;
      moreResult?: boolean;
    }

    interface Lead {
      byId(id: number, options?: { fields?: string[] }): Promise<Response>;
      find(
        filterType: string,
        filterValues: (string | number)[],
        options?: { fields?: string[]; batchSize?: number; nextPageToken?: string },
      ): Promise<Response>;
      createOrUpdate(
        input: Record<string, unknown>[],
        options?: { action?: string; lookupField?: string; partitionName?: string },
      ): Promise<Response>;
      describe(): Promise<Response>;
      partitions(): Promise<Response>;
      /** GET activities/pagingtoken.json?sinceDatetime=…&_method=GET (lib/api/lead.js). */
      getPageToken(sinceDatetime: string): Promise<Response & { nextPageToken?: string }>;
      /** GET activities.json?leadIds=…&activityTypeIds=…&nextPageToken=…&_method=GET. */
      getActivities(
        leadIds: number[],
        activityTypeIds: number[],
        nextPageToken: string,
        options?: { batchSize?: number },
      ): Promise<Response>;
    }

    interface Activities {
      /** GET activities/types.json?_method=GET (lib/api/activities.js). */
      getActivityTypes(): Promise<Response>;
    }

    /** Campaigns (lib/api/campaign.js; issue 26, test/families/campaigns/campaigns-clients.test.ts). */
    interface Campaign {
      /** POST campaigns/{id}/trigger.json, JSON {"input":{"leads","tokens"},"_method":"POST"}. */
      request(
        campaignId: number,
        leads: { id: number }[],
        tokens?: { name: string; value: string }[],
      ): Promise<Response>;
      /** GET campaigns.json, the options (with `_method=GET`) as restler `data`: a form body on a GET. */
      getCampaigns(options?: Record<string, unknown>): Promise<Page>;
      /** GET asset smartCampaigns.json with the options and `_method=GET` in the query (cog-marketo's getCampaigns). */
      getSmartCampaigns(options?: { maxReturn?: number; offset?: number }): Promise<Response>;
    }

    /** Smart lists (lib/api/smartList.js): a form POST with `_method=GET` on the asset path. */
    interface SmartList {
      /** POST asset smartLists.json, form body `_method=GET` and the options. */
      find(options?: Record<string, unknown>): Promise<Response>;
      /** POST asset smartList/{id}.json, form body `_method=GET` and the options. */
      byId(smartListId: number, options?: Record<string, unknown>): Promise<Response>;
    }

    /** A page with the client's own `nextPage()` when Marketo says more follow. */
    type Page = Response & { nextPage?: () => Promise<Page> };

    /**
     * Static lists (lib/api/list.js; issue 15, test/families/lists/lists-clients.test.ts). Its quirk: several ids in
     * removeLeadsFromList or isMember are sent as one `id=1%26id%3D2` value.
     */
    interface List {
      /** POST lists.json with a form body and `_method=GET`. */
      find(options?: { id?: number[]; name?: string[]; workspaceName?: string[]; batchSize?: number }): Promise<Page>;
      /** POST lists/{listId}/leads.json with `{input: [{id}]}`. */
      addLeadsToList(listId: number, input: (number | { id: number })[]): Promise<Response>;
      /** DELETE lists/{listId}/leads.json?id=… */
      removeLeadsFromList(listId: number, leadIds: number[]): Promise<Response>;
      /** GET lists/{listId}/leads/ismember.json?id=… */
      isMember(listId: number, leadIds: number[]): Promise<Response>;
      /** POST list/{listId}/leads.json with a form body and `_method=GET`. */
      getLeads(listId: number, options?: { fields?: string | string[]; batchSize?: number }): Promise<Page>;
    }

    /**
     * Bulk extract (lib/api/bulkLeadExtract.js, bulkActivityExtract.js; issue 24). Paths are `/../bulk/v1/…` below the
     * endpoint. create: postJson; enqueue and cancel: a form POST with `_method=POST`; status and file: GET with a form
     * body `_method=GET`. statusTilCompleted polls status, waiting 30 s (its own fixed retry) while Queued or
     * Processing; get = create, enqueue, statusTilCompleted.
     */
    interface BulkExtract {
      enqueue(exportId: string): Promise<Response>;
      status(exportId: string): Promise<Response>;
      statusTilCompleted(exportId: string): Promise<Response>;
      cancel(exportId: string): Promise<Response>;
      /** The file's text (restler parses no CSV). */
      file(exportId: string): Promise<string>;
    }

    interface BulkLeadExtract extends BulkExtract {
      create(fields: string[], filter: Record<string, unknown>, options?: Record<string, unknown>): Promise<Response>;
      get(fields: string[], filter: Record<string, unknown>, options?: Record<string, unknown>): Promise<Response>;
    }

    interface BulkActivityExtract extends BulkExtract {
      create(filter: Record<string, unknown>, options?: Record<string, unknown>): Promise<Response>;
      get(filter: Record<string, unknown>, options?: Record<string, unknown>): Promise<Response>;
    }

    interface Connection {
      /** The cached identity answer; the client sends its access_token until a call fails with 601/602. */
      _tokenData: TokenData | null;
      /**
       * A call on a path below the endpoint, as the client's own API modules make them (lib/api/*.js): `query` goes in
       * the URL, `data` (an object) in a form-encoded body (restler).
       */
      get(
        path: string,
        options?: { query?: Record<string, unknown>; data?: Record<string, unknown> },
      ): Promise<Response>;
      post(
        path: string,
        options?: { query?: Record<string, unknown>; data?: Record<string, unknown> },
      ): Promise<Response>;
      /**
       * A JSON body (restler's postJson), as lib/api/list.js sends addLeadsToList; cog-marketo's createLead and
       * deleteLeadById (`{ query: { _method: 'DELETE' } }`).
       */
      postJson(path: string, body: unknown, options?: { query?: Record<string, unknown> }): Promise<Response>;
    }
  }

  class Marketo extends EventEmitter {
    constructor(options: Marketo.Options);
    lead: Marketo.Lead;
    activities: Marketo.Activities;
    list: Marketo.List;
    campaign: Marketo.Campaign;
    smartList: Marketo.SmartList;
    bulkLeadExtract: Marketo.BulkLeadExtract;
    bulkActivityExtract: Marketo.BulkActivityExtract;
    _connection: Marketo.Connection;
    /** Always asks the identity endpoint again and caches the answer. */
    getOAuthToken(): Promise<Marketo.TokenData>;
  }

  export = Marketo;
}
