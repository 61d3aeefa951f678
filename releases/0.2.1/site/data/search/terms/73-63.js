NC.data("search/terms/73-63",{"schedule":[203,271]});
