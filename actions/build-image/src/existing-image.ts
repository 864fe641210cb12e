// Re-runs of a deploy build the same commit again, but the repositories are immutable: pushing
// the commit tag a second time fails. If the tag is already there, the image is reused (and any
// extra tags it lacks are added to the same manifest), so a re-run works the first time.
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ImageNotFoundException,
  PutImageCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { callAws } from '@notify/actions-shared';

export interface ExistingImage {
  digest: string;
  tags: string[];
}

/** The image already pushed under `tag`, or undefined when there is none. */
export async function findImageByTag(
  ecr: ECRClient,
  repositoryName: string,
  tag: string,
  region?: string,
): Promise<ExistingImage | undefined> {
  try {
    const response = await callAws(
      { operation: 'ecr:DescribeImages', resource: `repository ${repositoryName}`, region },
      () => ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] })),
    );
    const detail = response.imageDetails?.[0];
    if (!detail?.imageDigest) return undefined;
    return { digest: detail.imageDigest, tags: detail.imageTags ?? [] };
  } catch (error) {
    if ((error as { cause?: unknown }).cause instanceof ImageNotFoundException) return undefined;
    throw error;
  }
}

/** Adds `tags` to the manifest with `digest` (a registry-side retag; no pull or push). */
export async function addTags(
  ecr: ECRClient,
  repositoryName: string,
  digest: string,
  tags: readonly string[],
  region?: string,
): Promise<void> {
  if (tags.length === 0) return;
  const context = { resource: `repository ${repositoryName}`, region };
  const images = await callAws({ ...context, operation: 'ecr:BatchGetImage' }, () =>
    ecr.send(
      new BatchGetImageCommand({
        repositoryName,
        imageIds: [{ imageDigest: digest }],
        acceptedMediaTypes: [
          'application/vnd.oci.image.index.v1+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.docker.distribution.manifest.v2+json',
        ],
      }),
    ),
  );
  const image = images.images?.[0];
  if (!image?.imageManifest) throw new Error(`ecr:BatchGetImage found no manifest for ${digest}`);
  for (const imageTag of tags) {
    await callAws({ ...context, operation: 'ecr:PutImage' }, () =>
      ecr.send(
        new PutImageCommand({
          repositoryName,
          imageManifest: image.imageManifest,
          imageManifestMediaType: image.imageManifestMediaType,
          imageTag,
        }),
      ),
    );
  }
}
