NC.data("search/terms/6f-63",{"occupied":[60,259,272],"october":[67,125]});
