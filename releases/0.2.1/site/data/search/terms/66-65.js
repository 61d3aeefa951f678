NC.data("search/terms/66-65",{"fend":[263,274],"few":[124,192]});
