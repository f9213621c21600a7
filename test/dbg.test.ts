import { it } from 'vitest';
import { call, newInstance } from './helpers.js';
it('x', async () => {
  const { app } = await newInstance();
  for (const body of [{ advance: 5 }, { advanceSeconds: 'x' }, {}, { mode: 'fast' }, { set: 'yesterday' }, { advanceSeconds: 1, mode: 'real' }]) {
    const r = await call(app, 'POST', '/admin/clock', body);
    console.log(JSON.stringify(body), r.statusCode, r.body);
  }
  for (const body of [{ match: {}, respond: { marketoError: { code: '999' } } }, { respond: { httpStatus: 299 } }]) {
    const r = await call(app, 'POST', '/admin/faults', body);
    console.log(JSON.stringify(body), r.statusCode, r.body.slice(0, 300));
  }
  const r = await call(app, 'GET', '/rest/v1/leads.json?batchSize=abc');
  console.log(r.body);
});
