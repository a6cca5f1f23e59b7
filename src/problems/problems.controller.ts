import { Controller, Get, Header, HttpStatus, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/api-key.guard';
import { ProblemException } from '../http/problem.exception';
import { PROBLEM_TYPES, problemSlug, problemTypeUri, ProblemType } from '../http/problem-types';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const inlineCode = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Customer Admin API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:1rem;overflow:auto}</style>
</head><body>${body}<p><a href="/problems">All problem types</a> · <a href="/docs">API reference</a></p></body></html>`;
}

function typePage(type: ProblemType): string {
  const example = JSON.stringify(
    {
      type: problemTypeUri(type.title),
      title: type.title,
      status: type.status,
      detail: '…',
      instance: '/admin/customers/550e8400-e29b-41d4-a716-446655440000',
      errors: [],
      request_id: '…',
    },
    null,
    2,
  );
  return page(
    type.title,
    `<h1>${escapeHtml(type.title)} <small>(${type.status})</small></h1>
<h2>What it means</h2><p>${inlineCode(type.meaning)}</p>
<h2>When it happens</h2><p>${inlineCode(type.when)}</p>
<h2>How to fix it</h2><p>${inlineCode(type.fix)}</p>
<h2>Example</h2><pre>${escapeHtml(example)}</pre>`,
  );
}

/** The pages the `type` URIs of problem details point at: one per problem type, no key needed. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('problems')
export class ProblemsController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  list(): string {
    const items = PROBLEM_TYPES.map(
      (type) => `<li><a href="${problemTypeUri(type.title)}">${escapeHtml(type.title)}</a> (${type.status}): ${inlineCode(type.meaning)}</li>`,
    );
    return page(
      'Problem types',
      `<h1>Problem types</h1><p>Every error is RFC 9457 problem details; its <code>type</code> links here.</p><ul>${items.join('')}</ul>`,
    );
  }

  @Get(':slug')
  @Header('Content-Type', 'text/html; charset=utf-8')
  show(@Param('slug') slug: string): string {
    const type = PROBLEM_TYPES.find((candidate) => problemSlug(candidate.title) === slug);
    if (!type) throw new ProblemException(HttpStatus.NOT_FOUND, `No problem type is called ${slug}; see /problems for the list.`);
    return typePage(type);
  }
}
