# Role for `terraform apply` from the environment's protected jobs.

resource "aws_iam_role" "terraform" {
  count = var.create_terraform_role ? 1 : 0

  name                 = "${var.name}-github-terraform"
  description          = "terraform apply from the ${var.github_environment} environment of ${var.github_repository}."
  assume_role_policy   = data.aws_iam_policy_document.trust_environment.json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "terraform" {
  for_each = var.create_terraform_role ? toset(var.terraform_role_policy_arns) : toset([])

  role       = aws_iam_role.terraform[0].name
  policy_arn = each.value
}
