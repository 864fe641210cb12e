# Identity-policy document for the role that sends (the worker's task role).
data "aws_iam_policy_document" "sender" {
  statement {
    sid     = "SendFromIdentityWithConfigurationSet"
    actions = ["ses:SendEmail"]
    resources = [
      aws_sesv2_email_identity.this.arn,
      aws_sesv2_configuration_set.this.arn,
    ]
  }

  statement {
    sid     = "ReadSendingQuota"
    actions = ["ses:GetAccount"]
    #checkov:skip=CKV_AWS_355:ses:GetAccount has no resource type; it only reads the account's sending quota.
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]
  }
}
