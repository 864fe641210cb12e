locals {
  https     = var.certificate_arn != null
  protocol  = local.https ? "HTTPS" : "HTTP"
  prod_port = local.https ? 443 : 80
  test_port = var.test_listener_port != null ? var.test_listener_port : (local.https ? 8443 : 8080)

  # One ingress rule per (listener port, CIDR); port 80 stays open with HTTPS for the redirect.
  ingress_rules = merge(
    { for cidr in var.ingress_cidr_blocks : "prod-${cidr}" => { port = local.prod_port, cidr = cidr, description = "Production listener" } },
    { for cidr in var.ingress_cidr_blocks : "redirect-${cidr}" => { port = 80, cidr = cidr, description = "HTTP to HTTPS redirect" } if local.https },
  )
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "application"
  # The public entry point of the API: internet-facing by design.
  # The WAF web ACL (waf.tf) is optional: on by default and in production, off by default in
  # staging. Checkov skips a count = 0 association, so a root that turns it off is reported.
  #checkov:skip=CKV2_AWS_28:the web ACL is associated unless create_waf = false (staging's default, to save its cost on pre-production traffic); without it the API still authenticates every request with a bearer token, rate-limits per client and caps bodies
  #trivy:ignore:AVD-AWS-0053
  internal        = false
  subnets         = var.subnet_ids
  security_groups = [aws_security_group.this.id, aws_security_group.test_listener.id]

  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.enable_deletion_protection
  idle_timeout               = var.idle_timeout

  access_logs {
    bucket  = aws_s3_bucket.access_logs.bucket
    prefix  = var.access_logs_prefix
    enabled = true
  }

  tags = merge(var.tags, { Name = var.name })

  # ELB checks write access to the bucket when access logging is switched on.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

################################################################################
# Target groups: CodeDeploy alternates traffic between blue and green
################################################################################

resource "aws_lb_target_group" "this" {
  for_each = toset(["blue", "green"])

  name                 = "${var.name}-${each.key}"
  vpc_id               = var.vpc_id
  target_type          = "ip" # Fargate tasks (awsvpc) register by IP
  protocol             = "HTTP"
  port                 = var.target_port
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = var.health_check.path
    matcher             = var.health_check.matcher
    interval            = var.health_check.interval
    timeout             = var.health_check.timeout
    healthy_threshold   = var.health_check.healthy_threshold
    unhealthy_threshold = var.health_check.unhealthy_threshold
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

################################################################################
# Listeners
################################################################################

resource "aws_lb_listener" "prod" {
  load_balancer_arn = aws_lb.this.arn
  port              = local.prod_port
  protocol          = local.protocol
  ssl_policy        = local.https ? var.ssl_policy : null
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this["blue"].arn
  }

  tags = merge(var.tags, { Name = "${var.name}-prod" })

  lifecycle {
    # CodeDeploy points the listener at blue or green on every deployment.
    ignore_changes = [default_action]
  }
}

resource "aws_lb_listener" "test" {
  load_balancer_arn = aws_lb.this.arn
  port              = local.test_port
  protocol          = local.protocol
  ssl_policy        = local.https ? var.ssl_policy : null
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this["blue"].arn
  }

  tags = merge(var.tags, { Name = "${var.name}-test" })

  lifecycle {
    # CodeDeploy points the test route at the replacement (green) tasks during a deployment.
    ignore_changes = [default_action]
  }
}

resource "aws_lb_listener" "http_redirect" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-http-redirect" })
}

################################################################################
# Security group: listeners open to the allowed CIDRs, egress only to the targets' port
################################################################################

resource "aws_security_group" "this" {
  name        = "${var.name}-alb"
  description = "Load balancer ${var.name}: listeners from allowed CIDRs, egress to the targets"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_vpc_security_group_ingress_rule" "listeners" {
  for_each = local.ingress_rules

  security_group_id = aws_security_group.this.id
  description       = each.value.description
  # A public API is reached from the internet: ingress_cidr_blocks defaults to 0.0.0.0/0, on the
  # production listener and the HTTP->HTTPS redirect only (the test listener has its own group).
  #checkov:skip=CKV_AWS_260:port 80 only answers a redirect to HTTPS; restrict ingress_cidr_blocks for a private API
  #trivy:ignore:AVD-AWS-0107
  cidr_ipv4   = each.value.cidr
  ip_protocol = "tcp"
  from_port   = each.value.port
  to_port     = each.value.port
}

# The test listener reaches green tasks that are not approved yet, so it has its own security
# group with no ingress by default: the deploy pipeline opens the runner's /32 around the smoke
# test and closes it again (the deploy role may change this group's ingress and no other's).
# Its egress comes from the group above (security groups of one ENI are a union).
resource "aws_security_group" "test_listener" {
  name        = "${var.name}-alb-test"
  description = "Load balancer ${var.name}: blue/green test listener, closed unless a deploy opens it"
  vpc_id      = var.vpc_id

  # No inline ingress/egress: Terraform manages only the rule resources below, so the /32 rule
  # the pipeline adds and removes during a deploy is not a drift it would revert.
  tags = merge(var.tags, { Name = "${var.name}-alb-test" })
}

resource "aws_vpc_security_group_ingress_rule" "test_listener" {
  for_each = toset(var.test_listener_cidr_blocks)

  security_group_id = aws_security_group.test_listener.id
  description       = "Blue/green test listener"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = local.test_port
  to_port           = local.test_port
}

resource "aws_vpc_security_group_egress_rule" "targets" {
  security_group_id = aws_security_group.this.id
  description       = "Targets and their health checks"
  cidr_ipv4         = data.aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
}
