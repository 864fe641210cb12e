// Image tags. The ECR repositories are immutable, so a tag names exactly one image for good:
// `latest` (a moving pointer by definition) is refused, and so is anything Docker would not
// accept as a tag, before a long build is wasted on it.

/** Docker's tag grammar: up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function validateTag(tag: string, input = 'tags'): string {
  if (tag.toLowerCase() === 'latest') {
    throw new Error(
      `Input '${input}' must not contain 'latest': the ECR repositories are immutable, so a ` +
        'moving tag cannot be re-pointed; refer to images by commit SHA or digest',
    );
  }
  if (!TAG_PATTERN.test(tag)) {
    throw new Error(
      `Input '${input}': '${tag}' is not a valid image tag (1-128 letters, digits, '_', '.' or ` +
        "'-', not starting with '.' or '-')",
    );
  }
  return tag;
}

/** The commit tag first, then the extra tags in the order given, each once. */
export function imageTags(commitSha: string, extraTags: readonly string[]): string[] {
  if (!/^[0-9a-f]{7,64}$/.test(commitSha)) {
    throw new Error(`GITHUB_SHA must be a commit SHA; got '${commitSha}'`);
  }
  return [...new Set([commitSha, ...extraTags.map((tag) => validateTag(tag))])];
}
