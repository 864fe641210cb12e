# Sending events go to the region's default EventBridge bus (the only bus SES publishes to). A
# rule there routes them to the status consumer's queue (modules/ses-events), so the sending
# path gains no call and new subscribers are another rule, not a change here.

data "aws_cloudwatch_event_bus" "default" {
  count = var.create_event_destination ? 1 : 0

  name = "default"
}

resource "aws_sesv2_configuration_set_event_destination" "eventbridge" {
  count = var.create_event_destination ? 1 : 0

  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "eventbridge"

  event_destination {
    enabled              = true
    matching_event_types = var.event_types

    event_bridge_destination {
      event_bus_arn = data.aws_cloudwatch_event_bus.default[0].arn
    }
  }
}
