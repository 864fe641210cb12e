data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# Regions launched before August 2022 deliver access logs from an ELB-owned account.
data "aws_elb_service_account" "current" {}

locals {
  access_logs_bucket_name = "${lower(var.name)}-alb-logs-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.region}"
  access_logs_object_arn  = "${aws_s3_bucket.access_logs.arn}/${var.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
}

resource "aws_s3_bucket" "access_logs" {
  # This bucket is itself the log bucket: logging its own access would need yet another bucket.
  #checkov:skip=CKV_AWS_18:the ALB access-log bucket is a log destination; its reads are audited by CloudTrail data events if you enable them
  #checkov:skip=CKV_AWS_144:access logs expire after access_logs_retention_days; replicating them is not worth a second bucket
  #checkov:skip=CKV2_AWS_62:no consumer of access-log event notifications
  #trivy:ignore:AVD-AWS-0089
  bucket        = local.access_logs_bucket_name
  force_destroy = var.access_logs_force_destroy

  tags = merge(var.tags, { Name = local.access_logs_bucket_name })
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

# ALB access logs support SSE-S3 only (not SSE-KMS), so AES256 it is.
resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      # ELB delivers access logs only to SSE-S3 buckets.
      #checkov:skip=CKV_AWS_145:ALB access logs support SSE-S3 only, not SSE-KMS
      #trivy:ignore:AVD-AWS-0132
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_logs_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.access_logs]
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid       = "ElbLogDeliveryLegacyRegions"
    actions   = ["s3:PutObject"]
    resources = [local.access_logs_object_arn]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "ElbLogDelivery"
    actions   = ["s3:PutObject"]
    resources = [local.access_logs_object_arn]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
