import type { SeedInput } from '../../../src/seed.js';
import { emailsSeed } from '../emails/fixture.js';

export { failure, multipart, NO_ASSETS, REQUEST_ID, type Session, session } from '../emails/fixture.js';

/**
 * The landing pages tests' subscription: the emails tests' (workspaces Default and Other; a writer, an approver, a
 * reader and a lead-only caller; snippet 30 approved, 31 a draft; segmentation 1001), plus a Pages folder, landing
 * page templates of both types and pages made from them.
 */
export const GUIDED = `<!DOCTYPE html>
<html>
<head>
<meta class="mktoString" id="headline" mktoName="Headline" default="Join us">
<meta class="mktoColor" id="accent" mktoName="Accent" default="#336699">
<meta class="mktoBoolean" id="showFooter" mktoName="Show footer" default="true">
<title>\${headline}</title>
</head>
<body style="color:\${accent}">
<div class="mktoText" id="intro" mktoName="Intro"><p>Welcome</p></div>
<div class="mktoImg" id="hero" mktoName="Hero"></div>
<div class="mktoSnippet" id="sig" mktoName="Signature"></div>
</body>
</html>`;

export const FREE_FORM = '<html><body><h1>Free</h1><div id="mktoContent"></div></body></html>';

export function landingPagesSeed(): SeedInput {
  const seed = emailsSeed();
  return {
    ...seed,
    assets: [
      ...(seed.assets ?? []),
      { kind: 'folder', id: 105, name: 'Pages', parent: '/Design Studio/Default' },
      { kind: 'folder', id: 106, name: 'Other pages', parent: '/Design Studio/Other' },
    ],
    landingPageTemplates: [
      { id: 40, name: 'Guided', folder: 105, templateType: 'guided', approved: { content: GUIDED } },
      { id: 41, name: 'Free', folder: 105, approved: { content: FREE_FORM } },
      { id: 42, name: 'Draft template', folder: 105, templateType: 'guided', draft: { content: GUIDED } },
      { id: 43, name: 'Other template', folder: 106, approved: { content: FREE_FORM } },
    ],
    landingPages: [
      {
        id: 70,
        name: 'Home',
        folder: 105,
        template: 40,
        approved: { title: 'Home', variables: { headline: 'Live' } },
        draft: { title: 'Home, next', variables: { headline: 'Soon' } },
      },
      {
        id: 71,
        name: 'Free page',
        folder: 105,
        template: 'Free',
        draft: { sections: [{ id: 'block', type: 'HTML', value: '<p>Block</p>' }] },
      },
      { id: 72, name: 'Other page', folder: 106, template: 43, draft: {} },
    ],
  } as SeedInput;
}

const field = (id: string, dataType: string, rowNumber: number, label = `${id}:`) => ({
  id,
  label,
  dataType,
  rowNumber,
  columnNumber: 0,
  required: id === 'Email',
  formPrefill: true,
});

/**
 * The forms tests' subscription: the landing pages one, plus form 80 (approved, Email and FirstName, in Pages),
 * 81 (a draft, Email), 82 (a draft in the Other workspace), 83 (approved, in the Spring Launch program), and a
 * program member custom field.
 */
export function formsSeed(): SeedInput {
  const seed = landingPagesSeed();
  return {
    ...seed,
    programMemberFields: [{ name: 'dietaryNeeds', displayName: 'Dietary Needs', dataType: 'string', length: 100 }],
    forms: [
      {
        id: 80,
        name: 'Contact',
        folder: 105,
        approved: { fields: [field('Email', 'email', 0), field('FirstName', 'text', 1)] },
      },
      { id: 81, name: 'Draft form', folder: 105, draft: { fields: [field('Email', 'email', 0)] } },
      { id: 82, name: 'Other form', folder: 106, draft: { fields: [field('Email', 'email', 0)] } },
      {
        id: 83,
        name: 'Register',
        program: 'Spring Launch',
        approved: { fields: [field('Email', 'email', 0), field('LastName', 'text', 1)] },
      },
    ],
  } as SeedInput;
}
