# Terraform state access. With S3 native locking (use_lockfile) even `plan` writes and deletes
# `<key>.tflock`, so every role that runs Terraform needs that one object.

locals {
  state_bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket_name}"
  state_object_arn = "${local.state_bucket_arn}/${var.state_key}"
  state_lock_arn   = "${local.state_bucket_arn}/${var.state_key}.tflock"
}

data "aws_iam_policy_document" "state_read" {
  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.state_key, "${var.state_key}.tflock"]
    }
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = [local.state_object_arn, local.state_lock_arn]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [1]

    content {
      sid       = "DecryptState"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.state_kms_key_arn]
    }
  }
}

data "aws_iam_policy_document" "state_lock" {
  source_policy_documents = [data.aws_iam_policy_document.state_read.json]

  statement {
    sid       = "WriteLockFile"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_lock_arn]
  }
}
