"""dgplan notifications: tells agency systems what happened, by signed webhooks."""
