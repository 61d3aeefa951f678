NC.data("search/terms/61-75",{"august":[39,273]});
