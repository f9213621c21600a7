/**
 * The admin console's script (issue 31), run in the browser. It is written here, type-checked and linted with the
 * rest, and served as its own source (`consoleApp.toString()`, src/console/assets.ts): no build step, no library. So
 * it is one self-contained function: it may use the browser's globals and what it defines inside, nothing from this
 * module's scope.
 *
 * It has no logic of its own: every screen reads and changes the subscription through the admin plane's endpoints,
 * with the admin token as a bearer header when the server asks for one (it lives in this page's memory only). Every
 * value is put in the page as text (textContent, attribute values), never as HTML: names are user input.
 */
export function consoleApp(): void {
  type Child = Node | string | number | null | undefined | false;
  type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

  interface Problem {
    status: number;
    detail: string;
    errors?: { path: string; message: string }[];
  }
  interface Permission {
    key: string;
    name: string;
    group: string;
    description: string;
    implies?: string[];
  }
  interface Role {
    id: number;
    name: string;
    description: string;
    roleType: string;
    permissionSets: string[];
    etag: string;
  }
  interface Grant {
    roleId: number;
    workspaceId: number;
  }
  interface User {
    id: number;
    email: string;
    firstName: string;
    lastName: string;
    apiOnly: boolean;
    roles: Grant[];
  }
  interface Service {
    id: number;
    name: string;
    description: string;
    apiOnlyUserId: number;
    clientId: string;
    createdAt: string;
  }
  interface Workspace {
    id: number;
    name: string;
    description: string;
    partitionIds: number[];
  }
  interface Partition {
    id: number;
    name: string;
    description: string;
  }
  interface JournalEntry {
    id: number;
    at: string;
    method: string;
    path: string;
    status: number;
    marketoCode?: string;
    clientId?: string;
    decision?: { required: string[]; workspaces: number[]; allowed: boolean; reason: string };
  }
  interface Report {
    observedCalls: number;
    deniedCalls: number;
    droppedEntries: number;
    workspaces: {
      workspaceId: number;
      workspaceName: string;
      held: string[];
      needed: string[];
      unused: string[];
      denied: { operation: string; service: string; missing: string[]; calls: number }[];
      operations: { operation: string; service: string; calls: number; allowedBy: string[]; lastSeen: string }[];
    }[];
    role: { name: string; description: string; roleType: string; permissionSets: string[] };
  }

  const ALL_WORKSPACES = 0;
  const SCREENS: [id: string, title: string][] = [
    ['roles', 'Roles'],
    ['users', 'Users'],
    ['launchpoint', 'LaunchPoint'],
    ['workspaces', 'Workspaces & Partitions'],
    ['requests', 'Requests'],
    ['least-privilege', 'Least privilege'],
  ];

  // The admin token, once the server asked for it: in memory only (a reload asks again).
  let adminToken: string | undefined;

  const main = document.getElementById('screen')!;
  const messages = document.getElementById('messages')!;
  const nav = document.getElementById('nav')!;

  /** An element with attributes, listeners (`on…`), boolean properties and children; strings become text. */
  function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === false) continue;
      if (typeof value === 'function') element.addEventListener(name.slice(2), value);
      else if (value === true) element.setAttribute(name, '');
      else element.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      element.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function table(headings: string[], rows: Child[][], id?: string): HTMLElement {
    return h(
      'table',
      { id },
      h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', {}, heading)))),
      h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
    );
  }

  function field(label: string, input: HTMLElement): HTMLElement {
    return h('label', { class: 'field' }, h('span', {}, label), input);
  }

  function option(value: string | number, label: string, selected = false): HTMLElement {
    return h('option', { value: String(value), selected }, label);
  }

  function valueOf(id: string): string {
    return (document.getElementById(id) as HTMLInputElement).value;
  }

  /** A button that asks to be clicked twice: no native dialog. */
  function confirmingButton(label: string, attributes: Attributes, action: () => Promise<void>): HTMLElement {
    let armed = false;
    const button = h('button', { type: 'button', class: 'danger', ...attributes }, label);
    button.addEventListener('click', () => {
      if (!armed) {
        armed = true;
        button.textContent = `Confirm: ${label.toLowerCase()}`;
        return;
      }
      void run(action);
    });
    return button;
  }

  /** A form in `container`: a title, its fields, a submit button and Cancel; `submit` runs with its errors shown. */
  function editorForm(
    container: HTMLElement,
    id: string,
    title: string,
    submitLabel: string,
    submit: () => Promise<void>,
    ...fields: Child[]
  ): void {
    const onsubmit = (event: Event) => {
      event.preventDefault();
      void run(submit);
    };
    container.replaceChildren(
      h(
        'form',
        { id: `${id}-form`, onsubmit },
        h('h3', {}, title),
        ...fields,
        h('button', { type: 'submit', id: `${id}-save` }, submitLabel),
        h('button', { type: 'button', onclick: () => container.replaceChildren() }, 'Cancel'),
      ),
    );
  }

  class ProblemError extends Error {
    constructor(readonly problem: Problem) {
      super(problem.detail);
    }
  }

  function notice(text: string): void {
    messages.replaceChildren(h('p', { class: 'notice', role: 'status' }, text));
  }

  function showError(error: unknown): void {
    if (error instanceof ProblemError) {
      messages.replaceChildren(
        h(
          'div',
          { class: 'error', role: 'alert' },
          h('p', {}, `${error.problem.status}: ${error.problem.detail}`),
          error.problem.errors?.length
            ? h('ul', {}, ...error.problem.errors.map((problem) => h('li', {}, `${problem.path}: ${problem.message}`)))
            : null,
        ),
      );
    } else if (!(error instanceof SignInNeeded)) {
      messages.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(error)));
    }
  }

  class SignInNeeded extends Error {}

  async function run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      showError(error);
    }
  }

  /** One admin-plane call: JSON in and out (text for YAML), problem+json answers thrown, 401 asks for the token. */
  // The subscription the page belongs to: `/123-ABC-456/console` calls `/123-ABC-456/admin/…`, `/console` the root's.
  const base = location.pathname.slice(0, Math.max(0, location.pathname.lastIndexOf('/console')));

  async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(base + path, {
      method,
      headers: {
        accept: 'application/json, application/yaml',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401) {
      signIn(adminToken ? 'That token was refused.' : 'This server needs its admin token (ADMIN_TOKEN).');
      throw new SignInNeeded();
    }
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    const payload: unknown = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
      throw new ProblemError(
        typeof payload === 'object' && payload !== null
          ? (payload as Problem)
          : { status: response.status, detail: String(payload) },
      );
    }
    return payload as T;
  }

  function signIn(why: string): void {
    messages.replaceChildren();
    const input = h('input', { id: 'admin-token', type: 'password', autocomplete: 'off', required: true });
    main.replaceChildren(
      h(
        'form',
        {
          id: 'sign-in',
          onsubmit: (event: Event) => {
            event.preventDefault();
            adminToken = (input as HTMLInputElement).value;
            void show();
          },
        },
        h('h2', {}, 'Admin token'),
        h('p', {}, why, ' It is sent as a bearer header with each call, and kept in this page only.'),
        field('Token', input),
        h('button', { type: 'submit', id: 'sign-in-submit' }, 'Sign in'),
      ),
    );
    input.focus();
  }

  const permissionName = (permissions: Permission[], key: string) =>
    permissions.find((permission) => permission.key === key)?.name ?? key;

  const names = (permissions: Permission[], keys: string[]) =>
    keys.length > 0 ? keys.map((key) => permissionName(permissions, key)).join(', ') : '—';

  async function allRoles(): Promise<Role[]> {
    return (await api<{ roles: Role[] }>('GET', '/admin/roles?limit=1000')).roles;
  }

  // ---- Roles ----

  async function rolesScreen(): Promise<void> {
    const [roles, permissions] = await Promise.all([allRoles(), api<Permission[]>('GET', '/admin/permissions')]);
    const editor = h('div', { id: 'role-editor' });
    const rows = roles.map((role) => [
      role.name,
      role.description,
      role.roleType,
      names(permissions, role.permissionSets),
      role.roleType === 'system-defined'
        ? ''
        : h(
            'span',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', class: 'edit-role', onclick: () => roleEditor(editor, permissions, role) },
              'Edit',
            ),
            confirmingButton('Delete', { class: 'danger delete-role' }, async () => {
              await api('DELETE', `/admin/roles/${role.id}`, undefined, { 'if-match': `"${role.etag}"` });
              notice(`Role "${role.name}" deleted.`);
              await rolesScreen();
            }),
          ),
    ]);
    main.replaceChildren(
      h('h2', {}, 'Roles'),
      h('button', { type: 'button', id: 'new-role', onclick: () => roleEditor(editor, permissions) }, 'New Role'),
      editor,
      table(['Name', 'Description', 'Type', 'Permissions', ''], rows, 'roles'),
    );
  }

  /** The Access API tree (and the Admin one) as checkboxes: a group's box checks or clears all of it. */
  function permissionTree(permissions: Permission[], checked: string[]): HTMLElement {
    const groups = [...new Set(permissions.map((permission) => permission.group))];
    return h(
      'div',
      { class: 'tree' },
      ...groups.map((group) => {
        const members = permissions.filter((permission) => permission.group === group);
        const boxes = members.map(
          (permission) =>
            h('input', {
              type: 'checkbox',
              class: 'permission',
              value: permission.key,
              checked: checked.includes(permission.key),
            }) as HTMLInputElement,
        );
        const all = h('input', {
          type: 'checkbox',
          class: 'group',
          checked: boxes.every((box) => box.checked),
          onchange: (event: Event) => {
            for (const box of boxes) box.checked = (event.target as HTMLInputElement).checked;
          },
        });
        return h(
          'fieldset',
          {},
          h('legend', {}, h('label', {}, all, ` ${group}`)),
          h(
            'ul',
            {},
            ...members.map((permission, index) =>
              h(
                'li',
                {},
                h('label', { title: permission.description }, boxes[index]!, ` ${permission.name}`),
                permission.implies?.length
                  ? h('small', {}, ` (includes ${names(permissions, permission.implies)})`)
                  : null,
              ),
            ),
          ),
        );
      }),
    );
  }

  function roleEditor(container: HTMLElement, permissions: Permission[], role?: Role): void {
    const tree = permissionTree(permissions, role?.permissionSets ?? []);
    editorForm(
      container,
      'role',
      role ? `Edit role ${role.name}` : 'New Role',
      role ? 'Save' : 'Create',
      async () => {
        const keys = [...tree.querySelectorAll<HTMLInputElement>('input.permission:checked')].map((box) => box.value);
        const body = { name: valueOf('role-name'), description: valueOf('role-description') };
        if (role) {
          await api(
            'PATCH',
            `/admin/roles/${role.id}`,
            {
              operations: [
                { op: 'replace', path: '/name', value: body.name },
                { op: 'replace', path: '/description', value: body.description },
                { op: 'replace', path: '/permissionSets', value: keys },
              ],
            },
            { 'if-match': `"${role.etag}"` },
          );
          notice(`Role "${body.name}" saved.`);
        } else {
          await api('POST', '/admin/roles', { ...body, permissionSets: keys });
          notice(`Role "${body.name}" created.`);
        }
        await rolesScreen();
      },
      field('Role name', h('input', { id: 'role-name', value: role?.name ?? '', required: true, maxlength: 255 })),
      field('Description', h('input', { id: 'role-description', value: role?.description ?? '', maxlength: 2000 })),
      tree,
    );
  }

  // ---- Users ----

  async function usersScreen(): Promise<void> {
    const [{ items: users }, roles, { items: workspaces }] = await Promise.all([
      api<{ items: User[] }>('GET', '/admin/users'),
      allRoles(),
      api<{ items: Workspace[] }>('GET', '/admin/workspaces'),
    ]);
    const roleName = (id: number) => roles.find((role) => role.id === id)?.name ?? `role ${id}`;
    const workspaceName = (id: number) =>
      id === ALL_WORKSPACES ? 'All workspaces' : (workspaces.find((w) => w.id === id)?.name ?? `workspace ${id}`);
    const editor = h('div', { id: 'user-editor' });
    const rows = users.map((user) => [
      user.email,
      [user.firstName, user.lastName].filter(Boolean).join(' '),
      user.apiOnly ? 'API only' : 'Standard',
      h(
        'ul',
        {},
        ...user.roles.map((grant) => h('li', {}, `${roleName(grant.roleId)} in ${workspaceName(grant.workspaceId)}`)),
      ),
      h(
        'span',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'edit-user', onclick: () => userEditor(editor, roles, workspaces, user) },
          'Edit',
        ),
        user.apiOnly ? h('a', { href: `#least-privilege/${user.id}` }, 'Least privilege') : null,
        confirmingButton('Delete', { class: 'danger delete-user' }, async () => {
          await api('DELETE', `/admin/users/${user.id}`);
          notice(`User ${user.email} deleted.`);
          await usersScreen();
        }),
      ),
    ]);
    main.replaceChildren(
      h('h2', {}, 'Users'),
      h(
        'button',
        { type: 'button', id: 'new-user', onclick: () => userEditor(editor, roles, workspaces) },
        'Invite New User',
      ),
      editor,
      table(['Email', 'Name', 'Type', 'Roles', ''], rows, 'users'),
    );
  }

  function userEditor(container: HTMLElement, roles: Role[], workspaces: Workspace[], user?: User): void {
    const grants = h('ul', { id: 'user-grants' });
    const addGrant = (grant?: Grant) => {
      const row = h(
        'li',
        { class: 'grant' },
        h(
          'select',
          { class: 'grant-role', 'aria-label': 'Role' },
          ...roles.map((role) => option(role.id, role.name, role.id === grant?.roleId)),
        ),
        ' in ',
        h(
          'select',
          { class: 'grant-workspace', 'aria-label': 'Workspace' },
          ...workspaces.map((workspace) => option(workspace.id, workspace.name, workspace.id === grant?.workspaceId)),
          option(ALL_WORKSPACES, 'All workspaces', grant?.workspaceId === ALL_WORKSPACES),
        ),
        h('button', { type: 'button', onclick: () => row.remove() }, 'Remove'),
      );
      grants.append(row);
    };
    for (const grant of user?.roles ?? []) addGrant(grant);
    editorForm(
      container,
      'user',
      user ? `Edit user ${user.email}` : 'Invite New User',
      user ? 'Save' : 'Create',
      async () => {
        const body = {
          email: valueOf('user-email'),
          firstName: valueOf('user-first-name'),
          lastName: valueOf('user-last-name'),
          apiOnly: (document.getElementById('user-api-only') as HTMLInputElement).checked,
          roles: [...grants.querySelectorAll('li.grant')].map((row) => ({
            roleId: Number(row.querySelector<HTMLSelectElement>('.grant-role')!.value),
            workspaceId: Number(row.querySelector<HTMLSelectElement>('.grant-workspace')!.value),
          })),
        };
        if (user) await api('PATCH', `/admin/users/${user.id}`, body);
        else await api('POST', '/admin/users', body);
        notice(`User ${body.email} ${user ? 'saved' : 'created'}.`);
        await usersScreen();
      },
      field('Email', h('input', { id: 'user-email', type: 'email', value: user?.email ?? '', required: true })),
      field('First name', h('input', { id: 'user-first-name', value: user?.firstName ?? '' })),
      field('Last name', h('input', { id: 'user-last-name', value: user?.lastName ?? '' })),
      h(
        'label',
        { class: 'check' },
        h('input', { id: 'user-api-only', type: 'checkbox', checked: user ? user.apiOnly : true }),
        ' API only',
      ),
      h('h4', {}, 'Roles, per workspace'),
      grants,
      h('button', { type: 'button', id: 'user-add-grant', onclick: () => addGrant() }, 'Add a role'),
    );
  }

  // ---- LaunchPoint ----

  async function launchpointScreen(): Promise<void> {
    const [{ items: services }, { items: users }] = await Promise.all([
      api<{ items: Service[] }>('GET', '/admin/services'),
      api<{ items: User[] }>('GET', '/admin/users'),
    ]);
    const owner = (id: number) => users.find((user) => user.id === id)?.email ?? `user ${id}`;
    const panel = h('div', { id: 'service-panel' });
    const rows = services.map((service) => [
      service.name,
      service.description,
      owner(service.apiOnlyUserId),
      service.createdAt,
      h(
        'span',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'view-details', onclick: () => details(panel, service, owner) },
          'View Details',
        ),
        h(
          'button',
          { type: 'button', class: 'get-token', onclick: () => void run(() => getToken(panel, service)) },
          'Get Token',
        ),
        confirmingButton('Delete', { class: 'danger delete-service' }, async () => {
          await api('DELETE', `/admin/services/${service.id}`);
          notice(`Service "${service.name}" deleted.`);
          await launchpointScreen();
        }),
      ),
    ]);
    const apiUsers = users.filter((user) => user.apiOnly);
    main.replaceChildren(
      h('h2', {}, 'LaunchPoint'),
      h('button', { type: 'button', id: 'new-service', onclick: () => serviceEditor(panel, apiUsers) }, 'New Service'),
      panel,
      table(['Display Name', 'Description', 'API Only User', 'Created', ''], rows, 'services'),
    );
  }

  function serviceEditor(container: HTMLElement, apiUsers: User[]): void {
    editorForm(
      container,
      'service',
      'New Service (Custom)',
      'Create',
      async () => {
        const body = {
          name: valueOf('service-name'),
          description: valueOf('service-description'),
          apiOnlyUserId: Number(valueOf('service-user')),
        };
        // The answer carries the secret: it is not shown until View Details reveals it.
        await api('POST', '/admin/services', body);
        notice(`Service "${body.name}" created.`);
        await launchpointScreen();
      },
      field('Display Name', h('input', { id: 'service-name', required: true, maxlength: 255 })),
      field('Description', h('input', { id: 'service-description', maxlength: 2000 })),
      field(
        'API Only User',
        h('select', { id: 'service-user', required: true }, ...apiUsers.map((user) => option(user.id, user.email))),
      ),
    );
  }

  /** View Details: the client id at once; the secret only once asked for (GET /admin/services/{id}). */
  function details(container: HTMLElement, service: Service, owner: (id: number) => string): void {
    const secret = h('dd', { id: 'detail-client-secret' });
    const reveal = h(
      'button',
      {
        type: 'button',
        id: 'reveal-secret',
        onclick: () =>
          void run(async () => {
            const full = await api<Service & { clientSecret: string }>('GET', `/admin/services/${service.id}`);
            secret.replaceChildren(h('code', {}, full.clientSecret));
          }),
      },
      'Reveal',
    );
    secret.append(reveal);
    container.replaceChildren(
      h(
        'section',
        { id: 'service-details', class: 'panel' },
        h('h3', {}, `Details: ${service.name}`),
        h(
          'dl',
          {},
          h('dt', {}, 'API Only User'),
          h('dd', {}, owner(service.apiOnlyUserId)),
          h('dt', {}, 'Client Id'),
          h('dd', { id: 'detail-client-id' }, h('code', {}, service.clientId)),
          h('dt', {}, 'Client Secret'),
          secret,
        ),
      ),
    );
  }

  /** Get Token: what the identity endpoint answers for the service, and when it expires on the fake's clock. */
  async function getToken(container: HTMLElement, service: Service): Promise<void> {
    const [token, clock] = await Promise.all([
      api<{ access_token: string; expires_in: number; scope: string }>('POST', `/admin/services/${service.id}/token`),
      api<{ now: string }>('GET', '/admin/clock'),
    ]);
    const expiresAt = new Date(Date.parse(clock.now) + token.expires_in * 1000).toISOString();
    container.replaceChildren(
      h(
        'section',
        { id: 'service-token', class: 'panel' },
        h('h3', {}, `Token: ${service.name}`),
        h(
          'dl',
          {},
          h('dt', {}, 'Access Token'),
          h('dd', {}, h('code', { id: 'token-value' }, token.access_token)),
          h('dt', {}, 'Expires in'),
          h('dd', { id: 'token-expires-in' }, `${token.expires_in} s`),
          h('dt', {}, 'Expires at (the fake’s clock)'),
          h('dd', { id: 'token-expires-at' }, expiresAt),
          h('dt', {}, 'Scope'),
          h('dd', {}, token.scope),
        ),
      ),
    );
  }

  // ---- Workspaces & Partitions ----

  async function workspacesScreen(): Promise<void> {
    const [{ items: workspaces }, { items: partitions }] = await Promise.all([
      api<{ items: Workspace[] }>('GET', '/admin/workspaces'),
      api<{ items: Partition[] }>('GET', '/admin/partitions'),
    ]);
    const partitionName = (id: number) => partitions.find((p) => p.id === id)?.name ?? `partition ${id}`;
    const partitionBoxes = (checked: number[]) =>
      h(
        'ul',
        { class: 'tree' },
        ...partitions.map((partition) =>
          h(
            'li',
            {},
            h(
              'label',
              {},
              h('input', {
                type: 'checkbox',
                class: 'partition',
                value: partition.id,
                checked: checked.includes(partition.id),
              }),
              ` ${partition.name}`,
            ),
          ),
        ),
      );
    const chosen = (form: HTMLElement) =>
      [...form.querySelectorAll<HTMLInputElement>('input.partition:checked')].map((box) => Number(box.value));
    const editor = h('div', { id: 'workspace-editor' });
    const workspaceForm = (workspace?: Workspace) => {
      const boxes = partitionBoxes(workspace?.partitionIds ?? []);
      editorForm(
        editor,
        'workspace',
        workspace ? `Edit workspace ${workspace.name}` : 'New Workspace',
        workspace ? 'Save' : 'Create',
        async () => {
          const body = {
            name: valueOf('workspace-name'),
            description: valueOf('workspace-description'),
            partitionIds: chosen(boxes),
          };
          if (workspace) await api('PATCH', `/admin/workspaces/${workspace.id}`, body);
          else await api('POST', '/admin/workspaces', body);
          notice(`Workspace "${body.name}" ${workspace ? 'saved' : 'created'}.`);
          await workspacesScreen();
        },
        field('Name', h('input', { id: 'workspace-name', value: workspace?.name ?? '', required: true })),
        field('Description', h('input', { id: 'workspace-description', value: workspace?.description ?? '' })),
        h('h4', {}, 'Lead partitions it sees'),
        boxes,
      );
    };
    const partitionForm = () =>
      editorForm(
        editor,
        'partition',
        'New Lead Partition',
        'Create',
        async () => {
          const body = { name: valueOf('partition-name'), description: valueOf('partition-description') };
          await api('POST', '/admin/partitions', body);
          notice(`Partition "${body.name}" created.`);
          await workspacesScreen();
        },
        field('Name', h('input', { id: 'partition-name', required: true })),
        field('Description', h('input', { id: 'partition-description' })),
      );
    main.replaceChildren(
      h('h2', {}, 'Workspaces & Partitions'),
      h('button', { type: 'button', id: 'new-workspace', onclick: () => workspaceForm() }, 'New Workspace'),
      h('button', { type: 'button', id: 'new-partition', onclick: partitionForm }, 'New Lead Partition'),
      editor,
      h('h3', {}, 'Workspaces'),
      table(
        ['Name', 'Description', 'Lead partitions', ''],
        workspaces.map((workspace) => [
          workspace.name,
          workspace.description,
          workspace.partitionIds.map(partitionName).join(', '),
          h(
            'span',
            { class: 'actions' },
            h('button', { type: 'button', class: 'edit-workspace', onclick: () => workspaceForm(workspace) }, 'Edit'),
            confirmingButton('Delete', { class: 'danger delete-workspace' }, async () => {
              await api('DELETE', `/admin/workspaces/${workspace.id}`);
              notice(`Workspace "${workspace.name}" deleted.`);
              await workspacesScreen();
            }),
          ),
        ]),
        'workspaces',
      ),
      h('h3', {}, 'Lead partitions'),
      table(
        ['Name', 'Description', ''],
        partitions.map((partition) => [
          partition.name,
          partition.description,
          confirmingButton('Delete', { class: 'danger delete-partition' }, async () => {
            await api('DELETE', `/admin/partitions/${partition.id}`);
            notice(`Partition "${partition.name}" deleted.`);
            await workspacesScreen();
          }),
        ]),
        'partitions',
      ),
    );
  }

  // ---- Requests (the journal) ----

  async function requestsScreen(filter: Record<string, string> = { limit: '100' }): Promise<void> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== ''));
    const { items } = await api<{ items: JournalEntry[] }>('GET', `/admin/requests?${query}`);
    const filters = h(
      'form',
      {
        id: 'requests-filter',
        class: 'filters',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void run(() =>
            requestsScreen({
              decision: valueOf('filter-decision'),
              path: valueOf('filter-path'),
              limit: valueOf('filter-limit'),
            }),
          );
        },
      },
      field(
        'Decision',
        h(
          'select',
          { id: 'filter-decision' },
          option('', 'any', !filter.decision),
          option('allowed', 'allowed', filter.decision === 'allowed'),
          option('denied', 'denied', filter.decision === 'denied'),
        ),
      ),
      field('Path (glob)', h('input', { id: 'filter-path', value: filter.path ?? '', placeholder: '/rest/v1/**' })),
      field(
        'Limit',
        h('input', { id: 'filter-limit', type: 'number', min: 1, max: 10000, value: filter.limit ?? '100' }),
      ),
      h('button', { type: 'submit', id: 'requests-refresh' }, 'Show'),
      confirmingButton('Clear the journal', {}, async () => {
        await api('DELETE', '/admin/requests');
        notice('Journal cleared.');
        await requestsScreen();
      }),
    );
    main.replaceChildren(
      h('h2', {}, 'Requests'),
      filters,
      table(
        ['Time', 'Method', 'Path', 'Status', 'Code', 'Client Id', 'Decision'],
        items.map((entry) => [
          entry.at,
          entry.method,
          entry.path,
          entry.status,
          entry.marketoCode ?? '',
          entry.clientId ?? '',
          entry.decision
            ? h(
                'span',
                { class: entry.decision.allowed ? 'allowed' : 'denied', title: entry.decision.required.join(' or ') },
                entry.decision.allowed ? 'allowed' : 'denied',
                ': ',
                entry.decision.reason,
              )
            : '',
        ]),
        'requests',
      ),
    );
  }

  // ---- Least privilege ----

  async function leastPrivilegeScreen(userId?: number): Promise<void> {
    const [{ items: users }, permissions, ledger] = await Promise.all([
      api<{ items: User[] }>('GET', '/admin/users'),
      api<Permission[]>('GET', '/admin/permissions'),
      api<{ entries: number; bytes: number; maxBytes: number; droppedEntries: number }>(
        'GET',
        '/admin/least-privilege',
      ),
    ]);
    const apiUsers = users.filter((user) => user.apiOnly);
    const chosen = userId ?? apiUsers[0]?.id;
    const pick = h(
      'select',
      {
        id: 'lp-user',
        onchange: (event: Event) => {
          location.hash = `least-privilege/${(event.target as HTMLSelectElement).value}`;
        },
      },
      ...apiUsers.map((user) => option(user.id, user.email, user.id === chosen)),
    );
    const body = h('div', { id: 'lp-report' });
    main.replaceChildren(
      h('h2', {}, 'Least privilege'),
      h(
        'p',
        { class: 'muted', id: 'lp-ledger' },
        `The ledger holds ${ledger.entries} entries (${ledger.bytes} of ${ledger.maxBytes} bytes); `,
        `${ledger.droppedEntries} dropped. POST /admin/reset keeps it.`,
      ),
      h(
        'div',
        { class: 'filters' },
        field('API-only user', pick),
        confirmingButton('Clear the ledger', {}, async () => {
          await api('DELETE', '/admin/least-privilege');
          notice('Ledger cleared.');
          await leastPrivilegeScreen(chosen);
        }),
      ),
      body,
    );
    if (chosen === undefined) {
      body.append(h('p', {}, 'No API-only user yet.'));
      return;
    }
    const report = await api<Report>('GET', `/admin/users/${chosen}/least-privilege`);
    const keys = (list: string[]) => names(permissions, list);
    const seed = h('pre', { id: 'lp-seed', hidden: true });
    body.append(
      h(
        'p',
        { id: 'lp-summary' },
        `${report.observedCalls} calls observed, ${report.deniedCalls} denied`,
        report.droppedEntries > 0
          ? ` (the ledger dropped ${report.droppedEntries} entries: some calls are missing)`
          : '',
        '.',
      ),
      ...report.workspaces.map((workspace) =>
        h(
          'section',
          { class: 'panel workspace-report', 'data-workspace': workspace.workspaceName },
          h('h3', {}, workspace.workspaceName),
          h(
            'dl',
            {},
            h('dt', {}, 'Needed'),
            h('dd', { class: 'needed' }, keys(workspace.needed)),
            h('dt', {}, 'Held but never needed'),
            h('dd', { class: 'unused' }, keys(workspace.unused)),
            h('dt', {}, 'Held'),
            h('dd', { class: 'held' }, keys(workspace.held)),
          ),
          workspace.denied.length > 0
            ? table(
                ['Denied', 'Service', 'Missing', 'Calls'],
                workspace.denied.map((denied) => [
                  denied.operation,
                  denied.service,
                  keys(denied.missing),
                  denied.calls,
                ]),
              )
            : null,
          workspace.operations.length > 0
            ? table(
                ['Operation', 'Service', 'Allowed by', 'Calls', 'Last seen'],
                workspace.operations.map((use) => [
                  use.operation,
                  use.service,
                  keys(use.allowedBy),
                  use.calls,
                  use.lastSeen,
                ]),
              )
            : null,
        ),
      ),
      h(
        'section',
        { class: 'panel', id: 'lp-role' },
        h('h3', {}, `Role: ${report.role.name}`),
        h('p', {}, keys(report.role.permissionSets)),
        h(
          'button',
          {
            type: 'button',
            id: 'lp-create-role',
            onclick: () =>
              void run(async () => {
                const role = await api<Role>('POST', '/admin/roles', report.role);
                notice(`Role "${role.name}" created (id ${role.id}): grant it on the Users screen.`);
              }),
          },
          'Create this role',
        ),
        h(
          'button',
          {
            type: 'button',
            id: 'lp-show-seed',
            onclick: () =>
              void run(async () => {
                seed.textContent = await api<string>('GET', `/admin/users/${chosen}/least-privilege?format=seed`);
                seed.hidden = false;
              }),
          },
          'Show as a seed fragment',
        ),
        seed,
      ),
    );
  }

  // ---- Navigation ----

  async function show(): Promise<void> {
    const [screen = 'roles', argument] = location.hash.replace(/^#/, '').split('/');
    for (const link of nav.querySelectorAll('a')) {
      link.classList.toggle('current', link.getAttribute('href') === `#${screen}`);
    }
    main.setAttribute('aria-busy', 'true');
    await run(async () => {
      if (screen === 'users') await usersScreen();
      else if (screen === 'launchpoint') await launchpointScreen();
      else if (screen === 'workspaces') await workspacesScreen();
      else if (screen === 'requests') await requestsScreen();
      else if (screen === 'least-privilege') await leastPrivilegeScreen(argument ? Number(argument) : undefined);
      else await rolesScreen();
    });
    main.setAttribute('aria-busy', 'false');
  }

  nav.replaceChildren(...SCREENS.map(([id, title]) => h('a', { href: `#${id}`, id: `nav-${id}` }, title)));
  window.addEventListener('hashchange', () => {
    messages.replaceChildren();
    void show();
  });
  void show();
}
