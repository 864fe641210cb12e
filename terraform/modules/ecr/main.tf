resource "aws_ecr_repository" "this" {
  for_each = toset(var.repository_names)

  name = each.value

  # A tag names exactly one build forever: deploys and rollbacks by tag are reproducible.
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = var.encryption_type
    # KMS with the AWS-managed aws/ecr key by default; kms_key_arn names a customer-managed key.
    # The images hold no secrets (secrets come from Secrets Manager at start), and a CMK adds a
    # key policy every pulling execution role must be granted.
    #trivy:ignore:AVD-AWS-0033
    kms_key = var.kms_key_arn
  }

  tags = merge(var.tags, { Name = each.value })
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after ${var.untagged_image_expiry_days} days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_image_expiry_days
        }
        action = { type = "expire" }
      },
      {
        # "any" must carry the highest priority number; keeps the newest N images as rollback targets.
        rulePriority = 2
        description  = "Keep the last ${var.keep_last_images} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.keep_last_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
