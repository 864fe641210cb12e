output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch `LoadBalancer` dimension)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "Security group of the load balancer; the API service allows ingress only from it."
  value       = aws_security_group.this.id
}

output "protocol" {
  description = "Protocol of the production and test listeners: HTTPS, or HTTP when plain HTTP was allowed."
  value       = local.protocol
}

output "prod_listener_arn" {
  description = "ARN of the production listener (443, or 80 with plain HTTP) that CodeDeploy shifts."
  value       = aws_lb_listener.prod.arn
}

output "test_listener_arn" {
  description = "ARN of the blue/green test listener."
  value       = aws_lb_listener.test.arn
}

output "test_listener_security_group_id" {
  description = "Security group of the test listener: no ingress by default; the deploy pipeline adds the runner's /32 on the test port around its smoke test."
  value       = aws_security_group.test_listener.id
}

output "test_listener_security_group_arn" {
  description = "ARN of the test listener's security group (the only group whose ingress the deploy role may change)."
  value       = aws_security_group.test_listener.arn
}

output "test_listener_port" {
  description = "Port of the blue/green test listener."
  value       = local.test_port
}

output "url" {
  description = "Base URL of the production listener, e.g. https://<dns>."
  value       = local.https ? "https://${aws_lb.this.dns_name}" : "http://${aws_lb.this.dns_name}"
}

output "test_listener_url" {
  description = "Base URL of the test listener, e.g. https://<dns>:8443."
  value       = "${lower(local.protocol)}://${aws_lb.this.dns_name}:${local.test_port}"
}

output "blue_target_group_name" {
  description = "Name of the blue target group."
  value       = aws_lb_target_group.this["blue"].name
}

output "blue_target_group_arn" {
  description = "ARN of the blue target group (the ECS service registers here at creation)."
  value       = aws_lb_target_group.this["blue"].arn

  # ECS refuses a target group that no listener uses yet: hand the ARN out only once it is attached.
  depends_on = [aws_lb_listener.prod, aws_lb_listener.test]
}

output "blue_target_group_arn_suffix" {
  description = "ARN suffix of the blue target group (CloudWatch `TargetGroup` dimension)."
  value       = aws_lb_target_group.this["blue"].arn_suffix
}

output "green_target_group_name" {
  description = "Name of the green target group."
  value       = aws_lb_target_group.this["green"].name
}

output "green_target_group_arn" {
  description = "ARN of the green target group."
  value       = aws_lb_target_group.this["green"].arn

  # ECS refuses a target group that no listener uses yet: hand the ARN out only once it is attached.
  depends_on = [aws_lb_listener.prod, aws_lb_listener.test]
}

output "green_target_group_arn_suffix" {
  description = "ARN suffix of the green target group (CloudWatch `TargetGroup` dimension)."
  value       = aws_lb_target_group.this["green"].arn_suffix
}

output "target_group_arn_suffixes" {
  description = "ARN suffixes of both target groups by colour (alarms must watch both: CodeDeploy alternates them)."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}

output "access_logs_bucket_name" {
  description = "Name of the encrypted S3 bucket holding the access logs."
  value       = aws_s3_bucket.access_logs.bucket
}

output "access_logs_bucket_arn" {
  description = "ARN of the access log bucket."
  value       = aws_s3_bucket.access_logs.arn
}

output "waf_web_acl_arn" {
  description = "ARN of the WAF web ACL in front of the load balancer, or null when create_waf is false."
  value       = one(aws_wafv2_web_acl.this[*].arn)
}

output "waf_log_group_name" {
  description = "Log group of the requests the WAF blocked or counted, or null when create_waf is false."
  value       = one(aws_cloudwatch_log_group.waf[*].name)
}
