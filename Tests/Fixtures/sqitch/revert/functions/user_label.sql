DROP VIEW app.user_label;
