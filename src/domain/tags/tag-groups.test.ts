import { describe, expect, it } from 'vitest';
import { groupOfTag, groupsCoverVocabulary, TAG_GROUPS, tagsOfGroup } from './tag-groups.js';

describe('tag groups', () => {
  it('put every vocabulary tag in exactly one group', () => {
    expect(groupsCoverVocabulary()).toBe(true);
    expect(TAG_GROUPS).toHaveLength(34);
  });

  it('map tags to groups and back', () => {
    expect(groupOfTag('eco_warriors')).toBe('green');
    expect(tagsOfGroup('green')).toEqual(['green_living', 'eco_friendly', 'eco_warriors']);
  });
});
