import { parse, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField } from './selection.js';

function infoOf(query: string) {
  const doc = parse(query);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsField', () => {
  it('finds a field nested below the resolver, through inline and named fragments', () => {
    expect(selectsField(infoOf('{ homeTimeline { edges { node { id viewerHasLiked } } } }'), 'viewerHasLiked')).toBe(true);
    expect(selectsField(infoOf('{ homeTimeline { edges { node { ... on Tweet { viewerHasLiked } } } } }'), 'viewerHasLiked')).toBe(true);
    expect(selectsField(infoOf('{ homeTimeline { ...page } } fragment page on TweetConnection { edges { node { ...t } } } fragment t on Tweet { viewerHasLiked }'), 'viewerHasLiked')).toBe(true);
  });

  it('is false when the field is not asked for, and survives fragments that spread each other', () => {
    expect(selectsField(infoOf('{ homeTimeline { edges { node { id text } } } }'), 'viewerHasLiked')).toBe(false);
    expect(selectsField(infoOf('{ homeTimeline { ...a } } fragment a on TweetConnection { ...b } fragment b on TweetConnection { ...a }'), 'viewerHasLiked')).toBe(false);
  });
});
