SELECT label FROM app.user_label WHERE false;
