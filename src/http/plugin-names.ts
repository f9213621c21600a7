// Fastify names each plugin it registers, and looks for one without a display name among every loaded CommonJS
// module, per registration (a thirtieth of building an instance).
const DISPLAY_NAME = Symbol.for('fastify.display-name');

/** Gives a plugin its display name, so Fastify need not search for one. */
export function named<T extends object>(name: string, plugin: T): T {
  (plugin as Record<symbol, unknown>)[DISPLAY_NAME] = name;
  return plugin;
}
