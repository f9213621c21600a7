/**
 * The registry's migrated in-memory database, as the CLI's bundle carries it: scripts/bundle.ts replaces this module
 * with one holding the image and the key of the migrations that made it (`migrationsKey`). Running from the sources,
 * there is none, and the migrations run.
 */
export const BUNDLED_IMAGE: { migrations: string; image: string } | undefined = undefined;
