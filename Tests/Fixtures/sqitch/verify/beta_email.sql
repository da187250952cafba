SELECT email FROM app.users WHERE false;
